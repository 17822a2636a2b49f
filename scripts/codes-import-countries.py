#!/usr/bin/env python3
"""Derive data/codes/countries.csv from datasets/country-codes (country-codes.csv).

Run once when the upstream file changes:
  python3 scripts/codes-import-countries.py ../shared/data/country-codes.csv > data/codes/countries.csv
Keeps ISO 3166-1 alpha-2/alpha-3/numeric, the Chinese and English names, and
adds the common short names bureau files use (COMMON below; docs/codes.md).
"""
import csv
import sys

# Common short names, not in the upstream file (美国 for 美利坚合众国 ...).
COMMON = {
    'US': ['美国', 'United States', 'USA'],
    'GB': ['英国', 'United Kingdom', 'Great Britain', 'Britain'],
    'KR': ['韩国', 'South Korea', 'Korea, Republic of'],
    'KP': ['朝鲜', 'North Korea'],
    'HK': ['香港', '中国香港', 'Hong Kong', 'Hong Kong SAR', 'Hong Kong, China'],
    'MO': ['澳门', '中国澳门', 'Macau', 'Macao SAR'],
    'TW': ['中国台湾', '台湾地区', 'Taiwan, China'],
    'RU': ['俄罗斯'],
    'IR': ['伊朗'],
    'SY': ['叙利亚'],
    'LA': ['老挝'],
    'TZ': ['坦桑尼亚'],
    'VE': ['委内瑞拉'],
    'BO': ['玻利维亚'],
    'MD': ['摩尔多瓦'],
    'CD': ['刚果（金）', '民主刚果', 'DR Congo'],
    'CZ': ['Czech Republic'],
    'TR': ['Turkey'],
    'VN': ['Vietnam'],
    'AE': ['阿联酋', 'UAE'],
    'SA': ['沙特'],
    'NL': ['Holland'],
}

# The Chinese name as GACC and NBS write it, where the upstream file differs.
NAME_ZH = {'TW': '中国台湾'}


def main():
    rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
    out = csv.writer(sys.stdout, lineterminator='\n')
    out.writerow(['alpha2', 'alpha3', 'numeric', 'name_zh', 'name_en', 'aliases'])
    for r in sorted(rows, key=lambda r: r['ISO3166-1-Alpha-2']):
        a2 = r['ISO3166-1-Alpha-2'].strip()
        if not a2:
            continue
        zh = NAME_ZH.get(a2, r['official_name_cn'].strip())
        names0 = [r['official_name_cn']]
        en = r['official_name_en'].strip()
        names = names0 + [r['UNTERM Chinese Short'], r['UNTERM Chinese Formal'],
                 r['UNTERM English Short'], r['CLDR display name']]
        names += COMMON.get(a2, [])
        seen, aliases = {zh, en, ''}, []
        for n in names:
            n = n.strip()
            if n not in seen:
                seen.add(n)
                aliases.append(n)
        num = r['ISO3166-1-numeric'].strip()
        out.writerow([a2, r['ISO3166-1-Alpha-3'].strip(),
                      num.zfill(3) if num else '', zh, en, ';'.join(aliases)])


main()
