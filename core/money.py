"""Money is integer đồng; these turn it into the strings Vietnamese officials read."""


def group_thousands(value: int) -> str:
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def format_dong(value: int | None) -> str:
    """3108129000 → "3.108.129.000"."""
    if value is None:
        return ""
    return group_thousands(value)


def format_million(value: int | None, decimals: int = 3) -> str:
    """3108129000 → "3.108,129" (triệu đồng), trailing zeros kept to the given decimals.

    Integer arithmetic with half-up rounding: a float would turn 1.419.064.500 into "1.419,064"."""
    if value is None:
        return ""
    negative = value < 0
    step = 10 ** (6 - decimals)  # đồng per last shown digit
    units = (abs(int(value)) + step // 2) // step
    whole, frac = divmod(units, 10**decimals)
    text = group_thousands(whole) + ("," + str(frac).zfill(decimals) if decimals else "")
    return ("-" if negative else "") + text


def parse_dong(text: str | int | None) -> int | None:
    """Parse "3.108.129.000", "3108129000", "3 108 129 000 đ" into đồng; None when empty."""
    if text is None:
        return None
    if isinstance(text, int):
        return text
    cleaned = str(text).strip().lower().replace("đồng", "").replace("đ", "").replace("vnd", "")
    cleaned = cleaned.replace(".", "").replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return None
    if "," in cleaned:
        whole, _, frac = cleaned.partition(",")
        if frac.strip("0"):
            raise ValueError("Số tiền phải là số đồng nguyên, không có phần lẻ.")
        cleaned = whole
    if not cleaned.lstrip("-").isdigit():
        raise ValueError(f"'{text}' không phải là số tiền hợp lệ.")
    return int(cleaned)
