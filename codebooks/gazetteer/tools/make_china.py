#!/usr/bin/env python3
"""Generates codebooks/gazetteer/china.yaml, the gazetteer of China's regions.

Sources: the administrative divisions (province- and prefecture-level, and the districts
of the four municipalities) from the adcodes table that ships with the PyPI package
cpca 0.5.5; pinyin from pypinyin; traditional characters from OpenCC (s2t). English
names, common spellings, adjectives, zones and groupings are written by hand below.

    pip install --no-deps cpca==0.5.5 && pip install pypinyin opencc
    python3 codebooks/gazetteer/tools/make_china.py > codebooks/gazetteer/china.yaml

Edit this script, not the YAML file.
"""
import csv
import collections
import importlib.util
import re
import sys

import opencc
from pypinyin import Style, lazy_pinyin

S2T = opencc.OpenCC("s2t")

# Province-level divisions: adcode prefix -> (English name, type, extra names, adjectives).
PROVINCES = {
    "11": ("Beijing", "municipality", ["Peking", "Beijing municipality"], ["Pekingese"]),
    "12": ("Tianjin", "municipality", ["Tientsin"], []),
    "13": ("Hebei", "province", [], []),
    "14": ("Shanxi", "province", [], []),
    "15": ("Inner Mongolia", "autonomous region", ["Nei Mongol", "Neimenggu", "内蒙"], ["Inner Mongolian"]),
    "21": ("Liaoning", "province", [], []),
    "22": ("Jilin", "province", ["Jilin Province"], []),
    "23": ("Heilongjiang", "province", [], []),
    "31": ("Shanghai", "municipality", [], ["Shanghainese"]),
    "32": ("Jiangsu", "province", [], []),
    "33": ("Zhejiang", "province", ["Chekiang"], []),
    "34": ("Anhui", "province", [], []),
    "35": ("Fujian", "province", ["Fukien"], ["Fujianese", "Hokkien"]),
    "36": ("Jiangxi", "province", [], []),
    "37": ("Shandong", "province", [], []),
    "41": ("Henan", "province", [], []),
    "42": ("Hubei", "province", [], []),
    "43": ("Hunan", "province", [], ["Hunanese"]),
    "44": ("Guangdong", "province", ["Canton province", "粤"], ["Cantonese"]),
    "45": ("Guangxi", "autonomous region", ["Guangxi Zhuang"], []),
    "46": ("Hainan", "province", ["Hainan Island", "Hainan Province"], []),
    "50": ("Chongqing", "municipality", ["Chungking"], []),
    "51": ("Sichuan", "province", ["Szechuan", "Szechwan"], ["Sichuanese"]),
    "52": ("Guizhou", "province", ["Kweichow", "黔"], []),
    "53": ("Yunnan", "province", [], ["Yunnanese"]),
    "54": ("Tibet", "autonomous region", ["Xizang", "Tibet Autonomous Region"], ["Tibetan"]),
    "61": ("Shaanxi", "province", ["Shensi"], []),
    "62": ("Gansu", "province", [], []),
    "63": ("Qinghai", "province", [], []),
    "64": ("Ningxia", "autonomous region", ["Ningxia Hui"], []),
    "65": ("Xinjiang", "autonomous region", ["Sinkiang", "Xinjiang Uyghur"], []),
    "71": ("Taiwan", "province-level area", ["Taiwan Province", "台灣", "台灣省"], ["Taiwanese"]),
    "81": ("Hong Kong", "special administrative region", ["Hong Kong SAR", "HKSAR", "香港"], ["Hongkonger"]),
    "82": ("Macao", "special administrative region", ["Macau", "Macao SAR", "澳门"], ["Macanese"]),
}

# Cities with a conventional English spelling that is not plain pinyin.
CONVENTIONAL = {
    "拉萨市": ["Lhasa"], "乌鲁木齐市": ["Urumqi", "Ürümqi"], "呼和浩特市": ["Hohhot"], "哈尔滨市": ["Harbin"],
    "西安市": ["Xi'an", "Xian"], "日喀则市": ["Shigatse"], "喀什地区": ["Kashgar"], "广州市": ["Canton"],
    "厦门市": ["Amoy"], "南京市": ["Nanking"], "包头市": ["Baotou"], "大连市": ["Dalian"],
    "吐鲁番市": ["Turpan"], "伊犁哈萨克自治州": ["Ili"], "延边朝鲜族自治州": ["Yanbian"],
    "苏州市": ["Soochow"], "杭州市": ["Hangchow"], "鄂尔多斯市": ["Ordos"], "呼伦贝尔市": ["Hulunbuir"],
    "锡林郭勒盟": ["Xilingol"], "阿拉善盟": ["Alxa"], "巴彦淖尔市": ["Bayannur"], "乌兰察布市": ["Ulanqab"],
    "齐齐哈尔市": ["Qiqihar"], "大兴安岭地区": ["Greater Khingan", "Da Hinggan Ling"], "和田地区": ["Hotan"],
    "克孜勒苏柯尔克孜自治州": ["Kizilsu"], "博尔塔拉蒙古自治州": ["Bortala"], "巴音郭楞蒙古自治州": ["Bayingolin"],
    "阿勒泰地区": ["Altay"], "哈密市": ["Kumul"], "昌都市": ["Qamdo", "Chamdo"], "林芝市": ["Nyingchi"],
    "山南市": ["Lhoka"], "那曲地区": ["Nagqu"], "阿里地区": ["Ngari"], "西双版纳傣族自治州": ["Sipsongpanna"],
}

# Pinyin that pypinyin reads wrongly for these names.
PINYIN_FIXES = {
    "长治": "Chángzhì", "朝阳": "Cháoyáng", "长春": "Chángchūn", "长沙": "Chángshā", "六安": "Lù'ān",
    "蚌埠": "Bèngbù", "厦门": "Xiàmén", "重庆": "Chóngqìng", "乐山": "Lèshān", "大理": "Dàlǐ",
    "东莞": "Dōngguǎn", "亳州": "Bózhōu", "丽水": "Líshuǐ", "丽江": "Lìjiāng", "泰安": "Tài'ān",
    "西安": "Xī'ān", "吉安": "Jí'ān", "延安": "Yán'ān", "淮安": "Huái'ān", "雅安": "Yǎ'ān",
    "瑞安": "Ruì'ān", "广安": "Guǎng'ān", "六盘水": "Liùpánshuǐ", "铜仁": "Tóngrén",
    "阿勒泰": "Ālètài", "巴音郭楞": "Bāyīnguōlèng", "莎车": "Shāchē", "番禺": "Pānyú",
    "黔南": "Qiánnán", "黔东南": "Qiándōngnán", "黔西南": "Qiánxīnán", "大兴安岭": "Dàxīng'ānlǐng",
    "兴安": "Xīng'ān", "那曲": "Nàqū", "蚌": "Bèng", "宿州": "Sùzhōu", "宿迁": "Sùqiān",
    "眉山": "Méishān", "昌都": "Chāngdū", "锡林郭勒": "Xīlínguōlè", "单县": "Shànxiàn", "会同": "Huìtóng", "曲靖": "Qūjìng", "曲阜": "Qūfù",
}

# Chinese short forms (without 市, 地区, 自治州 ...) that are also common words or other
# places' names: these places are found in Chinese only by their full names, so that
# 长治久安 does not place a segment in Shanxi.
AMBIGUOUS_SHORT = {
    "阿里", "中山", "安康", "大同", "长治", "海南", "海北", "海西", "海东", "吉林", "朝阳", "白山", "三明", "四平",
    "黑河", "山南", "来宾", "中卫", "天水", "白银", "普洱", "红河", "大理", "玉树", "黄石",
}
# English short names that mean something else: "Ali" (Alibaba, a given name).
AMBIGUOUS_ENGLISH = {"Ali"}
# English short names given to two places: kept for the one most meant, dropped for the other.
PREFERRED_ENGLISH = {"Suzhou": "苏州市", "Fuzhou": "福州市"}

# Districts, zones and areas researchers name, with their province-level division.
ZONES = [
    ("Zhongguancun", "11", ["Zhongguancun", "Zhong Guan Cun", "中关村"]),
    ("Wangjing", "11", ["Wangjing", "望京"]),
    ("Yizhuang", "11", ["Yizhuang", "亦庄", "Beijing Economic-Technological Development Area"]),
    ("Binhai New Area", "12", ["Binhai New Area", "Binhai", "滨海新区", "滨海"]),
    ("Xiong'an New Area", "13", ["Xiong'an", "Xiongan", "雄安", "雄安新区"]),
    ("Pudong", "31", ["Pudong", "浦东"]),
    ("Zhangjiang", "31", ["Zhangjiang", "张江", "Zhangjiang Hi-Tech Park"]),
    ("Lujiazui", "31", ["Lujiazui", "陆家嘴"]),
    ("Caohejing", "31", ["Caohejing", "漕河泾"]),
    ("Yangpu", "31", ["Yangpu", "杨浦"]),
    ("Lingang", "31", ["Lingang", "临港"]),
    ("Suzhou Industrial Park", "32", ["Suzhou Industrial Park", "SIP", "苏州工业园区"]),
    ("Kunshan", "32", ["Kunshan", "昆山"]),
    ("Yiwu", "33", ["Yiwu", "义乌"]),
    ("Xiaoshan", "33", ["Xiaoshan", "萧山"]),
    ("Yuhang", "33", ["Yuhang", "余杭"]),
    ("Future Sci-Tech City", "33", ["Future Sci-Tech City", "未来科技城"]),
    ("Qianhai", "44", ["Qianhai", "前海"]),
    ("Nanshan", "44", ["Nanshan District", "南山区"]),
    ("Futian", "44", ["Futian", "福田"]),
    ("Huaqiangbei", "44", ["Huaqiangbei", "Huaqiang North", "华强北"]),
    ("Songshan Lake", "44", ["Songshan Lake", "松山湖"]),
    ("Hengqin", "44", ["Hengqin", "横琴"]),
    ("Nansha", "44", ["Nansha", "南沙"]),
    ("Shunde", "44", ["Shunde", "顺德"]),
    ("Liangjiang New Area", "50", ["Liangjiang", "两江新区"]),
    ("Tianfu New Area", "51", ["Tianfu New Area", "天府新区"]),
    ("Gui'an New Area", "52", ["Gui'an", "Guian", "贵安", "贵安新区"]),
    ("Optics Valley", "42", ["Optics Valley", "Optical Valley", "光谷", "东湖高新区"]),
]

# Groupings, by set. `cluster`: the city regions researchers compare; `macro`: the
# official statistical regions.
GROUPINGS = [
    ("cluster", "Pearl River Delta", ["Pearl River Delta", "PRD", "珠三角", "珠江三角洲"], ["44"]),
    ("cluster", "Greater Bay Area", ["Greater Bay Area", "Guangdong-Hong Kong-Macao Greater Bay Area",
                                      "粤港澳大湾区", "大湾区"], ["44", "81", "82"]),
    ("cluster", "Yangtze River Delta", ["Yangtze River Delta", "YRD", "长三角", "长江三角洲"],
     ["31", "32", "33", "34"]),
    ("cluster", "Jing-Jin-Ji", ["Jing-Jin-Ji", "Jingjinji", "Beijing-Tianjin-Hebei", "京津冀"], ["11", "12", "13"]),
    ("cluster", "Chengdu-Chongqing", ["Chengdu-Chongqing", "Chengdu–Chongqing", "Chengyu", "成渝"], ["51", "50"]),
    ("macro", "Eastern China", ["Eastern China", "East China", "the eastern provinces", "东部", "东部地区"],
     ["11", "12", "13", "31", "32", "33", "35", "37", "44", "46"]),
    ("macro", "Central China", ["Central China", "the central provinces", "中部", "中部地区"],
     ["14", "34", "36", "41", "42", "43"]),
    ("macro", "Western China", ["Western China", "West China", "the western provinces", "西部", "西部地区"],
     ["15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]),
    ("macro", "Northeast China", ["Northeast China", "the Northeast", "Manchuria", "东北", "东北地区"],
     ["21", "22", "23"]),
]

# The peoples named in autonomous prefectures' names, stripped to get the place name.
ETHNIC_GROUPS = ["朝鲜", "土家", "苗", "侗", "布依", "彝", "藏", "羌", "傣", "景颇", "傈僳", "白", "哈尼", "壮", "回",
                 "蒙古", "哈萨克", "柯尔克孜", "维吾尔", "黎", "瑶", "纳西", "普米", "独龙", "怒", "拉祜", "佤"]

# Districts of the municipalities also known by their short name.
DISTRICT_SHORT = {"海淀", "朝阳", "浦东", "闵行", "杨浦", "徐汇", "渝北", "江北", "沙坪坝"}

SUFFIXES = ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区", "新区",
            "省", "市", "盟", "区", "县"]


def short(name):
    """The name without its administrative suffix (and ethnic qualifiers)."""
    if name.endswith("自治州") or name.endswith("自治县"):
        base = name[:-3]
        stripped = True
        while stripped:
            stripped = False
            for people in ETHNIC_GROUPS:
                if base.endswith(people + "族") and len(base) > len(people) + 2:
                    base = base[: -len(people) - 1]
                    stripped = True
        return base
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def tone_pinyin(han):
    if han in PINYIN_FIXES:
        return PINYIN_FIXES[han]
    text = "".join(lazy_pinyin(han, style=Style.TONE))
    return text[:1].upper() + text[1:]


def plain(pinyin):
    """Pinyin without tone marks; the apostrophe stays (Xi'an)."""
    import unicodedata
    decomposed = unicodedata.normalize("NFD", pinyin)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def unique(items):
    seen, out = set(), []
    for item in items:
        if item and item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return out


def quote(text):
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 .\-]*", text) and text.lower() not in ("yes", "no", "on", "off", "true", "false", "null"):
        return text
    return '"' + text.replace('"', '\\"') + '"'


def flow(items):
    return "[" + ", ".join(quote(i) for i in items) + "]"


def main():
    # Located without importing cpca, whose own dependencies are not needed here.
    spec = importlib.util.find_spec("cpca")
    path = spec.submodule_search_locations[0] + "/resources/adcodes.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    provinces = {r["adcode"][:2]: r["name"] for r in rows if r["adcode"][2:] == "0" * 10}
    prefectures = collections.defaultdict(list)
    districts = collections.defaultdict(list)
    for r in rows:
        code, name = r["adcode"], r["name"]
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        if code[4:] == "0" * 8 and code[2:4] != "00":
            prefectures[code[:2]].append((code, name))
        elif code[6:] == "0" * 6 and code[4:6] != "00" and code[:2] in ("11", "12", "31", "50"):
            districts[code[:2]].append((code, name))

    # English short names that two prefectures share.
    english_owner = collections.defaultdict(list)
    for prefix, items in prefectures.items():
        for _, name in items:
            english_owner[plain(tone_pinyin(short(name)))].append(name)

    province_english = {v[0] for v in PROVINCES.values()}
    out = sys.stdout
    out.write("# The gazetteer of China: generated by codebooks/gazetteer/tools/make_china.py from the\n")
    out.write("# administrative divisions in cpca 0.5.5 (2020 codes). Edit the script, not this file.\n")
    out.write("# Format: docs/gazetteer-format.md.\n")
    out.write("gazetteer: China\nversion: \"2020 divisions\"\nregions:\n")
    for prefix in sorted(PROVINCES):
        english, kind, extra, adjectives = PROVINCES[prefix]
        han = provinces[prefix]
        base = short(han)
        tone = tone_pinyin(base)
        # 陕西 reads "Shanxi" without tones, which is 山西's name: only "Shaanxi" is kept.
        toneless = [] if plain(tone) in province_english and plain(tone) != english else [plain(tone)]
        names = unique([english, tone] + toneless + extra + [base, han, S2T.convert(base), S2T.convert(han)])
        out.write(f"  - name: {quote(english)}\n    type: {kind}\n    names: {flow(names)}\n")
        if adjectives:
            out.write(f"    adjectives: {flow(adjectives)}\n")
        places = []
        for code, city in sorted(prefectures.get(prefix, [])):
            city_base = short(city)
            city_tone = tone_pinyin(city_base)
            city_plain = plain(city_tone)
            full_names = [city, S2T.convert(city)]
            short_names = [city_base, S2T.convert(city_base)]
            english_names = [city_plain, city_plain.replace("'", ""), city_tone]
            qualified = f"{city_plain} City" if city.endswith("市") else f"{city_plain} Prefecture"
            owners = english_owner[city_plain]
            if len(owners) > 1 and PREFERRED_ENGLISH.get(city_plain) != city:
                # Shared with another prefecture: named with its province only.
                english_names = [f"{city_plain} ({english})"]
            elif city_plain in province_english or city_plain in AMBIGUOUS_ENGLISH:
                english_names = [qualified]
            if city_base in AMBIGUOUS_SHORT:
                short_names = []
            names = unique(english_names + CONVENTIONAL.get(city, []) + short_names + full_names)
            places.append((city_plain if len(owners) == 1 else f"{city_plain} ({english})", "prefecture", names))
        for code, district in sorted(districts.get(prefix, [])):
            d_base = short(district)
            d_plain = plain(tone_pinyin(d_base))
            suffix = "County" if district.endswith("县") else "District"
            names = [f"{d_plain} {suffix}", district, S2T.convert(district)]
            if d_base in DISTRICT_SHORT and d_base != "朝阳" and d_base != "江北":
                names = [d_plain] + names + [d_base, S2T.convert(d_base)]
            places.append((d_plain, "district", unique(names)))
        for name, zone_prefix, names in ZONES:
            if zone_prefix == prefix:
                traditional = [S2T.convert(n) for n in names if re.search(r"[\u4e00-\u9fff]", n)]
                places.append((name, "zone", unique(names + traditional)))
        if places:
            out.write("    places:\n")
            for name, kind, names in places:
                out.write(f"      - {{name: {quote(name)}, type: {kind}, names: {flow(names)}}}\n")
    out.write("groupings:\n")
    for group_set, name, names, members in GROUPINGS:
        traditional = [S2T.convert(n) for n in names if re.search(r"[\u4e00-\u9fff]", n)]
        out.write(f"  - name: {quote(name)}\n    set: {group_set}\n    names: {flow(unique(names + traditional))}\n")
        out.write(f"    members: {flow([PROVINCES[m][0] for m in members])}\n")


if __name__ == "__main__":
    main()
