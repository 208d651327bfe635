#!/usr/bin/env python3
"""Draws the figure of the sample bundle briefing on the third Malligyong-1 launch: how far
each of the three Chollima-1 attempts of 2023 got, stage by stage. Writes SVG on stdout:

    python3 examples/figures/chollima-1-attempts.py \
        > content/briefings/2023/2023-11-21-malligyong-1-third-launch/chollima-1-attempts.svg

Drawn by this script, not downloaded; outcomes as reported by North Korean state media and
confirmed by South Korean and Japanese officials.
"""

WIDTH, HEIGHT = 720, 330
ATTEMPTS = [
    ("31 May 2023", ["ok", "failed", "not reached"], ("Second-stage engine", "started abnormally")),
    ("24 Aug 2023", ["ok", "ok", "failed"], ("Emergency blasting", "system error")),
    ("21 Nov 2023", ["ok", "ok", "ok"], ("Malligyong-1", "reached orbit")),
]
FILL = {"ok": "#2f6f4f", "failed": "#b42318", "not reached": "#ffffff"}


def stage(x, y, state, number):
    w, h = 118, 44
    parts = [
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{FILL[state]}" '
        f'stroke="#1f2937" stroke-width="1.5"'
        + (' stroke-dasharray="5 4"' if state == "not reached" else "")
        + "/>"
    ]
    colour = "#1f2937" if state == "not reached" else "#ffffff"
    label = {"ok": "worked", "failed": "failed", "not reached": "never fired"}[state]
    parts.append(
        f'<text x="{x + w / 2}" y="{y + 19}" text-anchor="middle" fill="{colour}" '
        f'font-weight="700">Stage {number}</text>'
    )
    parts.append(
        f'<text x="{x + w / 2}" y="{y + 36}" text-anchor="middle" fill="{colour}" '
        f'font-size="12">{label}</text>'
    )
    if state == "failed":
        # A cross as well as the colour, so that the figure reads in grey and for
        # readers who do not tell red from green.
        cx, cy = x + w - 14, y + 12
        parts.append(
            f'<path d="M{cx - 6} {cy - 6}l12 12M{cx + 6} {cy - 6}l-12 12" '
            f'stroke="#ffffff" stroke-width="2.5" stroke-linecap="round"/>'
        )
    return "\n".join(parts)


def main():
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="system-ui, sans-serif" font-size="14" '
        f'role="img" aria-labelledby="title">',
        '<title id="title">Chollima-1 attempts of 2023, stage by stage</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f8fafc"/>',
        '<text x="24" y="36" font-size="18" font-weight="700" fill="#111827">'
        "Chollima-1 in 2023: how far each attempt got</text>",
    ]
    for row, (date, stages, result) in enumerate(ATTEMPTS):
        y = 70 + row * 82
        out.append(f'<text x="24" y="{y + 20}" font-weight="700" fill="#111827">{date}</text>')
        out.append(f'<text x="24" y="{y + 38}" font-size="12" fill="#4b5563">Attempt {row + 1}</text>')
        for number, state in enumerate(stages, start=1):
            x = 150 + (number - 1) * 134
            if number > 1:
                out.append(
                    f'<path d="M{x - 14} {y + 22}h10" stroke="#6b7280" stroke-width="2"/>'
                )
            out.append(stage(x, y, state, number))
        for line, text in enumerate(result):
            out.append(
                f'<text x="{150 + 3 * 134 + 4}" y="{y + 19 + line * 17}" font-size="13" '
                f'fill="#111827">{text}</text>'
            )
    out.append("</svg>")
    print("\n".join(out))


if __name__ == "__main__":
    main()
