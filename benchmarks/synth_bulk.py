"""The part of a real report that states no fact the warehouse keeps: how performance management was
organised, what was done, what went wrong, what comes next. It makes a synthetic report as long as real
ones (10-45 KB, median about 20 KB; the bundled four are 15, 24, 25 and 44 KB) without touching its
facts: its figures are meetings, rules, documents and dates, never money or a vocabulary metric.

Sentences are put together from parts, so no two reports read alike; a report draws its length first.
"""

from __future__ import annotations

import math
import random

MEDIAN_BYTES, MIN_BYTES, MAX_BYTES = 20_000, 10_000, 45_000

ACTORS = ["{me}", "{me}领导班子", "局党组", "单位主要负责同志", "分管领导", "财务科", "综合科", "业务科室",
          "绩效评价工作小组", "各股室负责人"]
DEEDS = ["高度重视预算绩效管理工作", "把绩效理念贯穿预算编制、执行和监督全过程", "对照年初绩效目标逐项开展自查",
         "组织学习预算绩效管理相关政策文件", "建立健全内部控制制度", "规范资金审批程序", "落实“三重一大”集体决策制度",
         "加强与财政部门的沟通衔接", "定期分析预算执行进度", "将自评结果作为改进管理的重要依据",
         "严格执行中央八项规定精神", "按照政府会计制度规范会计核算", "做好政务信息公开工作",
         "完善资产管理台账", "开展业务培训和政策宣讲", "推进经办服务标准化建设", "强化风险防控意识"]
MANNERS = ["及时", "认真", "切实", "扎实", "持续", "进一步", "积极", "严格"]
ENDS = ["确保各项工作有序推进", "为完成年度目标提供了有力保障", "取得了较好成效", "管理水平稳步提升",
        "资金使用更加规范", "群众办事更加便捷", "未发现违规违纪问题", "形成了长效工作机制"]
COUNTED = [("召开专题会议{n}次", 2, 9), ("制定和修订内部管理制度{n}项", 2, 12), ("开展内部检查{n}次", 1, 6),
           ("编发工作简报{n}期", 3, 24), ("组织业务培训{n}期", 2, 10), ("印发工作方案{n}份", 1, 5)]
DOCUMENTS = ["《关于全面实施预算绩效管理的实施意见》", "《部门整体支出绩效评价管理办法》", "《预算绩效管理工作规程》",
             "《财政支出绩效评价管理暂行办法》", "《内部控制规范实施细则》"]
HEADINGS_MANAGEMENT = ["绩效管理工作开展情况", "预算绩效管理工作情况", "部门整体支出管理情况", "自评工作组织情况"]
HEADINGS_NEXT = ["下一步工作打算", "下一步工作措施", "今后工作思路", "有关建议"]
WEAKNESSES = ["绩效目标设置与年度重点工作衔接不够紧密", "部分指标以定性表述为主，量化程度不高",
              "基层经办力量相对薄弱，业务骨干流动较大", "信息化系统之间数据共享不充分", "预算执行进度前慢后快",
              "绩效运行监控的频次和深度有待加强", "项目实施过程资料归集不够及时"]


def target_bytes(rng: random.Random) -> int:
    """A report's length, drawn from a log-normal around the median, within the range real reports have."""
    return max(MIN_BYTES, min(MAX_BYTES, int(MEDIAN_BYTES * math.exp(rng.gauss(0, 0.35)))))


def _sentence(rng: random.Random, me: str, year: int) -> str:
    actor = rng.choice(ACTORS).format(me=me)
    kind = rng.random()
    if kind < 0.25:
        text, lo, hi = rng.choice(COUNTED)
        return f"{year}年{actor}{text.format(n=rng.randint(lo, hi))}，{rng.choice(ENDS)}。"
    if kind < 0.4:
        return f"{actor}认真贯彻{rng.choice(DOCUMENTS)}，{rng.choice(MANNERS)}{rng.choice(DEEDS)}，{rng.choice(ENDS)}。"
    if kind < 0.5:
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        return f"{year}年{month}月{day}日，{actor}{rng.choice(MANNERS)}{rng.choice(DEEDS)}。"
    first, second = rng.choice(DEEDS), rng.choice(DEEDS)
    return f"{actor}{rng.choice(MANNERS)}{first}，{rng.choice(MANNERS)}{second}，{rng.choice(ENDS)}。"


def paragraph(rng: random.Random, me: str, year: int) -> str:
    return "".join(_sentence(rng, me, year) for _ in range(rng.randint(3, 7)))


def weakness(rng: random.Random) -> str:
    return f"{rng.choice(WEAKNESSES)}，{rng.choice(MANNERS)}{rng.choice(DEEDS)}的力度还需加大。"


def sections(rng: random.Random, me: str, year: int, need: int) -> tuple[list[str], list[str], list[str]]:
    """About `need` bytes of text: paragraphs for a management section, more weaknesses for the problems
    section, and paragraphs for a next-steps section."""
    management: list[str] = []
    problems: list[str] = []
    plans: list[str] = []
    size = 0
    while size < need:
        roll = rng.random()
        text = paragraph(rng, me, year) if roll < 0.8 else weakness(rng)
        (management if roll < 0.55 else plans if roll < 0.8 else problems).append(text)
        size += len(text.encode("utf-8")) + 2
    return management, problems, plans
