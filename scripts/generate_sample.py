"""Generate the fictional city's sample data (or a scaled-up copy for benchmarks).

python -m scripts.generate_sample --out data/sample --end 2026-10     # the committed sample
python -m scripts.generate_sample --out bench-out --scale 500 --format parquet
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analytics.sample import generator as sample


def _month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in text.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份应写作 YYYY-MM：{text}") from None
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"月份应写作 YYYY-MM：{text}")
    return year, month


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成虚构城市（青川市）的示例数据")
    parser.add_argument("--out", required=True, type=Path, help="输出目录")
    parser.add_argument("--end", type=_month, default=None, help="结束月份 YYYY-MM（默认：上一个完整月份）")
    parser.add_argument("--scale", type=float, default=1.0, help="规模系数（1 = 随附的示例数据）")
    parser.add_argument("--seed", type=int, default=sample.SAMPLE_SEED, help="随机种子")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv", dest="file_format")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = sample.generate(
        args.out,
        end_month=args.end or sample.last_full_month(),
        scale=args.scale,
        seed=args.seed,
        file_format=args.file_format,
    )
    for name, path in paths.items():
        print(f"{name:18} {path}  {path.stat().st_size / 1e6:8.1f} MB", file=sys.stderr)
    print(f"用时 {time.perf_counter() - started:.1f} 秒", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
