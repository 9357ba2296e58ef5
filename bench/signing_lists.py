"""Realistic signing lists for benchmarks: title rows, a unit in the header, merged cells, mixed
value formats (numbers, "3,500", "1.2亿元", "约8000万元"), a share of US-dollar rows, USCCs,
several SEI spellings, an unknown column and a totals row, in the layout counties send.

`python -m bench signing_lists` writes a 1,000-row sample and prints its path.
"""

import datetime as dt
import random
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.cell_range import CellRange

GENERATOR_VERSION = 3
HEADER = [
    "序号",
    "项目名称",
    "投资方",
    "统一社会信用代码",
    "投资方所在地",
    "项目落地地",
    "签约金额（万元）",
    "币种",
    "签约日期",
    "签约类型",
    "战略性新兴产业",
    "行业代码",
    "所属行业",
    "备注",
    "联系人",
]
DESTINATIONS = [
    "哈尔滨市",
    "松北区",
    "平房区",
    "道里区",
    "南岗区",
    "大庆市",
    "齐齐哈尔市",
    "牡丹江市",
    "佳木斯市",
    "绥化市",
    "鸡西市",
    "双鸭山市",
    "黑河市",
    "伊春市",
    "七台河市",
    "鹤岗市",
    "大兴安岭地区",
    "黑龙江省哈尔滨市香坊区",
    "230103",
]
ORIGINS = ["深圳", "宁波", "上海市", "北京", "苏州", "广州市", "杭州", "青岛", "厦门", "香港", ""]
# (product, GB/T 4754 class, SEI cell as counties write it)
PRODUCTS = [
    ("工业互联网平台", "6431", "1"),
    ("智能算力中心", "6550", "新一代信息技术产业"),
    ("工业机器人", "3491", "2 高端装备制造"),
    ("石墨新材料", "3091", "3 新材料产业"),
    ("碳纤维复合材料", "C3062", "新材料"),
    ("生物医药产业园", "2761", "生物"),
    ("新能源汽车零部件", "3670", "New energy vehicles"),
    ("风电场", "4415", "6"),
    ("秸秆综合利用", "0519", "是"),
    ("数字文创园", "6579", ""),
    ("冰雪文旅综合体", "7861", "否"),
    ("乳制品加工", "1441", ""),
    ("现代农业示范园", "0111", "否"),
    ("粮食仓储物流园", "5951", ""),
]
AGREEMENTS = ["合同", "正式合同", "框架协议", "意向", "意向协议", ""]
NAME_A = "澜拓启衡砺曜棠翊骁昀璟珩岚湛沐峤煜翀霁澄"
NAME_B = "科创源泽远航汇达盛通"
SUFFIXES = ["科技有限公司", "实业有限公司", "集团有限公司", "新材料有限公司", "能源有限公司"]
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _uscc(rng: random.Random) -> str:
    """A valid unified social credit code (both check characters right)."""
    from investpromo.orgs.uscc import org_code_check_char, uscc_check_char

    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    first17 = "91" + rng.choice(["440300", "330200", "310000", "110000"]) + body
    first17 += org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def _value(rng: random.Random, wan: int) -> tuple[object, Decimal]:
    """A contract value in one of the ways people write it, and its value in 万元."""
    roll = rng.random()
    if roll < 0.45:
        return float(wan), Decimal(wan)
    if roll < 0.6:
        return f"{wan:,}", Decimal(wan)
    if roll < 0.7 and wan >= 10000:
        text = f"{Decimal(wan) / 10000:f}".rstrip("0").rstrip(".")
        return f"{text}亿元", Decimal(wan)
    if roll < 0.8:
        return f"约{wan}万元", Decimal(wan)
    if roll < 0.9:
        return f"{wan}万", Decimal(wan)
    return f"{wan * 10000}元", Decimal(wan)


def generate(path: Path, rows: int, *, seed: int = 20240831, usd_share: float = 0.05) -> Path:
    """Write a signing list with `rows` project rows (plus titles and a totals row)."""
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("签约项目")
    sheet.append(["2024年黑龙江省产业转移推介活动签约项目汇总表"])
    sheet.append(["填报单位：黑龙江省商务厅", None, None, None, None, None, "单位：万元"])
    sheet.append(HEADER)
    sheet.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=len(HEADER), max_row=1))
    investors: list[tuple[str, str | None, str]] = []
    cny_total = Decimal(0)
    excel_row = 3
    merge_left = 0
    destination = DESTINATIONS[0]
    for number in range(1, rows + 1):
        excel_row += 1
        if investors and rng.random() < 0.3:
            investor, uscc, origin = rng.choice(investors)
        else:
            investor = (
                f"{rng.choice(NAME_A)}{rng.choice(NAME_B)}{len(investors)}{rng.choice(SUFFIXES)}"
            )
            uscc = _uscc(rng) if rng.random() < 0.5 else None
            origin = rng.choice(ORIGINS)
            investors.append((investor, uscc, origin))
        product, class_code, sei = rng.choice(PRODUCTS)
        # Counties merge the destination cell over consecutive projects of one place.
        if merge_left:
            merge_left -= 1
            destination_cell = None
        else:
            destination = rng.choice(DESTINATIONS)
            destination_cell = destination
            if rng.random() < 0.01:
                merge_left = rng.randint(1, 4)
                sheet.merged_cells.add(
                    CellRange(
                        min_col=6, min_row=excel_row, max_col=6, max_row=excel_row + merge_left
                    )
                )
        wan = rng.choice([500, 800, 1000, 1200, 2000, 3000, 3500, 5000, 8000, 12000, 20000, 50000])
        currency = None
        if rng.random() < usd_share:
            currency = "美元"
            value, counted = float(wan), None
        else:
            value, counted = _value(rng, wan)
        if counted is not None and currency is None:
            cny_total += counted
        day = rng.choice([dt.date(2024, 8, 31), dt.date(2024, 9, 1)])
        signing = (
            day
            if rng.random() < 0.8
            else rng.choice([f"{day:%Y/%-m/%-d}", f"{day:%Y年%-m月%-d日}"])
        )
        sheet.append(
            [
                number,
                f"{investor[:4]}{product}项目{number}",
                investor,
                uscc,
                origin,
                destination_cell,
                value,
                currency,
                signing,
                rng.choice(AGREEMENTS),
                sei,
                class_code,
                None,
                "重点项目" if rng.random() < 0.1 else None,
                rng.choice(["张先生", "李女士", None]),
            ]
        )
    sheet.append(["合计", None, None, None, None, None, f"{cny_total}"])
    workbook.save(path)
    return path


def cached(rows: int, *, seed: int = 20240831) -> Path:
    """The generated file for these parameters, written once into the temp folder."""
    folder = Path(tempfile.gettempdir()) / "investpromo-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"signing-list-v{GENERATOR_VERSION}-{rows}-{seed}.xlsx"
    if not path.exists():
        partial = path.with_suffix(".part.xlsx")
        generate(partial, rows, seed=seed)
        partial.replace(path)
    return path


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    path = generate(Path(tempfile.gettempdir()) / f"signing-list-sample-{rows}.xlsx", rows)
    print(f"wrote a {rows:,}-row sample signing list: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
