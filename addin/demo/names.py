"""Chinese words the demo company is made of: people, store names, places, phone numbers.

Every function draws from a numpy Generator handed in, so that the same seed gives the same company.
"""
from __future__ import annotations

import numpy as np

#: Common surnames, most frequent first; drawn with falling weights so that 王/李/张 dominate as they do.
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
                "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉红玉兰志鹏斌宇浩凯健俊帆帅旭宁龙林欣"
             "波峰亮成荣新春晓海燕婷雪琴云飞鑫瑞德福贵祥顺海东胜利振兴家宝")

#: Words shop owners like in a shop's name.
SHOP_WORDS = ["鑫源", "福满多", "好又多", "惠民", "兴隆", "聚福", "万家", "盛达", "金鑫", "顺发", "佳乐", "华联",
              "百姓", "安居", "和兴", "宏达", "天天", "乐购", "新华", "恒昌", "富民", "平安", "吉祥", "如意", "旺角",
              "阳光", "红星", "东方", "新世纪", "家家乐", "合众", "利民", "诚信", "金桥", "友谊", "福星", "隆昌",
              "金利来", "好邻居", "益民", "永盛", "大众", "四季", "同心", "汇丰源", "联华", "春来", "祥和"]

#: Name patterns per 业态: {s} surname, {g} a given name, {w} a shop word, {r} a road.
STORE_PATTERNS = {
    "Z": ["{s}记食杂店", "{w}副食店", "{s}家小卖部", "{w}食杂店", "{s}{g}商店", "{r}杂货店", "{w}粮油副食"],
    "B": ["{s}记便利店", "{w}便利店", "美宜佳便利店（{r}店）", "{w}便利", "{s}{g}便利店", "快客便利店（{r}店）"],
    "S": ["{w}超市", "{s}氏平价超市", "{w}购物广场", "{r}{w}超市", "{w}生活超市"],
    "N": ["{w}百货商场", "{w}购物中心", "{r}百货大楼"],
    "Y": ["{w}烟酒商行", "{s}记名烟名酒", "{w}烟酒店", "{s}{g}烟酒行", "{r}烟酒副食"],
    "F": ["{w}大酒店", "{w}宾馆", "{w}网吧", "{w}茶楼", "{w}棋牌室", "{w}KTV", "{w}酒楼"],
    "Q": ["{w}加油站便利店", "{r}报刊亭", "{w}水果店", "{w}书报亭", "{w}五金店"],
}

ROADS = ["人民路", "解放路", "建设路", "中山路", "和平路", "新华路", "胜利路", "友谊路", "光明路", "长江路", "黄河路",
         "滨江路", "文化路", "青年路", "工农路", "民主路", "复兴路", "朝阳路", "环城路", "花园路", "幸福路", "团结路",
         "前进路", "东风路", "北京路", "南湖路", "学府路", "体育路", "车站路", "沿江大道", "发展大道", "科技大道"]
TOWN_WORDS = ["新集", "高桥", "石门", "双河", "柳林", "白沙", "桃园", "李家", "三岔", "马坪", "龙泉", "青石", "丰乐",
              "河口", "沙坪", "黄陂", "望城", "梅林", "杨集", "永安"]
VILLAGE_WORDS = ["张湾", "王庄", "刘家", "李岗", "陈河", "杨树", "周畈", "大桥", "新农", "红旗", "胜利", "光明", "前锋",
                 "东升", "建新", "长岭", "荷花", "花园", "金星", "团山"]
NOTES = ["夫妻店，晚上营业到十点", "临近学校", "新开业", "周日休息", "二楼，门面较小", "老板常外出，联系老板娘",
         "菜市场内", "社区店，熟客多", "旺季在春节前后", "有意愿参加陈列协议"]
#: Mobile prefixes in use in China.
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
                   "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "186", "187", "188", "189", "199"]
AREA_CODE = "0716"


def _pick(rng: np.random.Generator, words: list[str], n: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.asarray(words, dtype=object)[rng.choice(len(words), size=n, p=weights)]


def _surname_weights() -> np.ndarray:
    weights = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.8
    return weights / weights.sum()


def people(rng: np.random.Generator, n: int) -> list[str]:
    """n person names: a surname (weighted like the real frequency) and one or two given characters."""
    surnames = _pick(rng, SURNAMES, n, _surname_weights())
    first = _pick(rng, GIVEN, n)
    second = np.where(rng.random(n) < 0.65, _pick(rng, GIVEN, n), "")
    return (surnames + first + second).tolist()


def store_names(rng: np.random.Generator, formats: np.ndarray) -> list[str]:
    """A shop name for each 业态 code, like 张记便利店 or 鑫源烟酒商行."""
    n = len(formats)
    surnames = _pick(rng, SURNAMES, n, _surname_weights())
    given = _pick(rng, GIVEN, n)
    words = _pick(rng, SHOP_WORDS, n)
    roads = _pick(rng, [r.removesuffix("路").removesuffix("大道") for r in ROADS], n)
    choice = rng.random(n)
    names = []
    for i, code in enumerate(formats.tolist()):
        patterns = STORE_PATTERNS[code]
        pattern = patterns[int(choice[i] * len(patterns))]
        names.append(pattern.format(s=surnames[i], g=given[i], w=words[i], r=roads[i]))
    return names


def addresses(rng: np.random.Generator, areas: np.ndarray, rural: np.ndarray) -> list[str]:
    """An address in each store's area: a street number in town, a village group in the country."""
    n = len(areas)
    roads = _pick(rng, ROADS, n)
    numbers = rng.integers(1, 400, n)
    towns = _pick(rng, TOWN_WORDS, n)
    villages = _pick(rng, VILLAGE_WORDS, n)
    groups = rng.integers(1, 12, n)
    result = []
    for i in range(n):
        if rural[i]:
            result.append(f"{areas[i]}{towns[i]}镇{villages[i]}村{groups[i]}组")
        else:
            result.append(f"{areas[i]}{roads[i]}{numbers[i]}号")
    return result


def phones(rng: np.random.Generator, n: int) -> list[str]:
    """Phone numbers: mostly mobiles (11 digits), some landlines with the area code."""
    prefixes = _pick(rng, MOBILE_PREFIXES, n)
    mobile = rng.integers(0, 10**8, n)
    landline = rng.integers(2_000_000, 9_000_000, n)
    is_mobile = rng.random(n) < 0.85
    return [f"{prefixes[i]}{mobile[i]:08d}" if is_mobile[i] else f"{AREA_CODE}-{landline[i]}" for i in range(n)]


def notes(rng: np.random.Generator, n: int, share: float = 0.06) -> list[str]:
    """Free-text remarks for a few stores, blank for most."""
    picked = _pick(rng, NOTES, n)
    return np.where(rng.random(n) < share, picked, "").tolist()
