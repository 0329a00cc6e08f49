"""The tables of ``bench/quality.py``: fix rate, time split, per kind and per case, what the
loop adds over single-shot, and the issue's goals, from the runner's JSON lines.

Kept apart from the runner so a report can be re-read (``quality.py --report FILE...``)
without anything that runs agentfix.
"""

from __future__ import annotations

import json
import shlex
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

Record = dict[str, Any]
OVERHEAD_GOAL = 5.0  # per cent of the summed timings.total


def median(values: Iterable[float]) -> float | None:
    found = list(values)
    return statistics.median(found) if found else None


def mean(values: Iterable[float]) -> float | None:
    found = list(values)
    return statistics.fmean(found) if found else None


def fmt(value: float | None, spec: str = ".1f", unit: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{unit}"


def pct(part: float, whole: float) -> str:
    return "-" if whole <= 0 else f"{100 * part / whole:.0f} %"


def markdown_table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def diff_cells(group: list[Record]) -> list[str]:
    """Median changed lines (agentfix / reference) and unfaithful runs, over the runs that
    changed the file; "-" for records written before these fields existed."""
    measured = [r for r in group if r.get("changed") and "changed_lines" in r]
    if not measured:
        return ["-", "-"]
    ours = median(r["changed_lines"] for r in measured)
    reference = median(r["reference_changed_lines"] for r in measured)
    return [
        f"{fmt(ours, 'g')} / {fmt(reference, 'g')}",
        f"{sum(not r.get('faithful', True) for r in measured)}/{len(measured)}",
    ]


def summary_row(label: str, group: list[Record]) -> list[str]:
    n = len(group)
    fixed = [r for r in group if r["status"] == "fixed"]
    answers = [a for r in group for a in r["answers"]]
    tokens = sum(a.get("output_tokens") or 0 for a in answers)
    chars = sum(a.get("chars") or 0 for a in answers)
    has_tokens = any(a.get("output_tokens") for a in answers)
    return [
        label,
        f"{len(fixed)}/{n}",
        f"{sum(r['verified'] for r in group)}/{n}",
        str(sum(r["false_validated"] for r in group)),
        str(sum(r["lint_left"] for r in group)),
        str(sum(bool(r.get("error")) or r["status"] in ("provider_error", "error") for r in group)),
        fmt(median(r["wall_s"] for r in group), unit=" s"),
        fmt(mean(r["wall_s"] for r in group), unit=" s"),
        fmt(median(r["wall_s"] for r in fixed), unit=" s"),
        fmt(tokens / len(fixed) if fixed and has_tokens else None, ".0f"),
        fmt(chars / len(fixed) if fixed else None, ".0f"),
        fmt(mean(r["rounds"] for r in group), ".2f"),
        fmt(mean(r["rounds"] for r in fixed), ".2f"),
        *diff_cells(group),
    ]


def time_split(group: list[Record]) -> tuple[float, float]:
    """(summed ``timings.total``, summed ``timings.generation``, i.e. model time)."""
    total = sum(r["timings"].get("total", 0.0) for r in group)
    return total, sum(r["timings"].get("generation", 0.0) for r in group)


def timing_row(label: str, group: list[Record]) -> list[str]:
    total, model = time_split(group)
    checks = sum(
        r["timings"].get("baseline", 0.0) + r["timings"].get("validation", 0.0) for r in group
    )
    startup = [r["wall_s"] - r["timings"]["total"] for r in group if "total" in r["timings"]]
    answers = [a for r in group for a in r["answers"] if not a.get("error")]
    first = [a["first_token_s"] for a in answers if a["round"] == 1 and a["first_token_s"]]
    later = [a["first_token_s"] for a in answers if a["round"] > 1 and a["first_token_s"]]
    out_tokens = sum(a.get("output_tokens") or 0 for a in answers)
    gen_seconds = sum(
        (a["seconds"] or 0) - (a["first_token_s"] or 0) for a in answers if a.get("output_tokens")
    )
    return [
        label,
        fmt(total, ".0f", " s"),
        pct(model, total),
        pct(total - model, total),
        pct(checks, total),
        fmt(mean(startup), ".2f", " s"),
        str(len(answers)),
        str(sum(not a.get("candidate", True) for a in answers)),
        fmt(median(first), ".2f", " s"),
        fmt(median(later), ".2f", " s"),
        fmt(out_tokens / gen_seconds if gen_seconds > 0 else None, ".1f"),
    ]


Pair = tuple[str, str]  # (model, provider)


def pair_of(record: Record) -> Pair:
    return record.get("model", "?"), record.get("provider", "?")


def labeler(records: list[Record]) -> Callable[[Record], str]:
    """Config labels: the bare config for one model and provider, else model/provider/config."""
    if len({pair_of(r) for r in records}) <= 1:
        return lambda record: record["config"]
    return lambda record: "/".join([*pair_of(record), record["config"]])


def per_pair(by_config: dict[str, list[Record]]) -> dict[Pair, dict[str, str]]:
    """(model, provider) -> {config: label}, in report order."""
    found: dict[Pair, dict[str, str]] = defaultdict(dict)
    for label, group in by_config.items():
        found[pair_of(group[0])][group[0]["config"]] = label
    return found


def report(records: list[Record]) -> str:
    label_of = labeler(records)
    by_config: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_config[label_of(record)].append(record)
    labels = list(by_config)
    parts = ["## Quality\n"]
    parts.append(
        markdown_table(
            [
                "config",
                "fixed",
                "verified",
                "false validated",
                "ruff left",
                "errors",
                "median s/case",
                "mean s/case",
                "median s/fixed case",
                "output tokens/fix",
                "output chars/fix",
                "mean rounds",
                "mean rounds (fixed)",
                "median changed lines (agentfix / reference)",
                "unfaithful",
            ],
            [summary_row(label, by_config[label]) for label in labels],
        )
    )
    parts.append(
        '\n*output tokens/fix*: all output tokens of the config / fixes ("-" when the server '
        "reports no token usage while streaming); *output chars/fix* likewise, from the trace. "
        "*fixed*: agentfix said `fixed`; *verified*: fixed and the case's tests and ruff pass "
        "when re-run independently; *false validated*: fixed but the tests fail; *ruff left*: "
        "fixed, tests pass, but ruff still reports the file (agentfix only requires *no new* "
        "diagnostics). Seconds: wall time of the `agentfix fix` process. *median changed "
        "lines*: over the runs that changed the file, lines changed against the original "
        "(difflib), agentfix's file / the reference fix; *unfaithful*: of those runs, the ones "
        "that lost a line of the module docstring or closing comment block, or more kept lines "
        'than the reference changes (see quality.py). "-": records without these fields.'
    )
    parts.append("\n## Where the time goes\n")
    parts.append(
        markdown_table(
            [
                "config",
                "agentfix total",
                "model (generation)",
                "agent overhead (total - model)",
                "of which checks (baseline + validation)",
                "startup/case (wall - total)",
                "answers",
                "answers not a candidate",
                "median TTFT round 1",
                "median TTFT later rounds",
                "decode tokens/s",
            ],
            [timing_row(label, by_config[label]) for label in labels],
        )
    )
    parts.append(
        "\nShares are of the summed `timings.total`. TTFT: time to first streamed token per "
        "answer. *answers not a candidate*: answers with no code block, unchanged, or errors."
    )
    parts.append("\n## Per kind (verified / cases)\n")
    kinds = sorted({r["kind"] for r in records})
    rows = []
    for kind in kinds:
        row = [kind]
        for label in labels:
            group = [r for r in by_config[label] if r["kind"] == kind]
            row.append(f"{sum(r['verified'] for r in group)}/{len(group)}")
        rows.append(row)
    parts.append(markdown_table(["kind", *labels], rows))
    splits = sorted({r["split"] for r in records if r.get("split")})
    if len(splits) > 1:
        parts.append("\n## Per split (verified / cases)\n")
        rows = []
        for split in splits:
            row = [split]
            for label in labels:
                group = [r for r in by_config[label] if r.get("split") == split]
                row.append(f"{sum(r['verified'] for r in group)}/{len(group)}")
            rows.append(row)
        parts.append(markdown_table(["split", *labels], rows))
    parts.append("\n## Per case\n")
    cases = list(dict.fromkeys(r["case"] for r in records))
    rows = []
    for name in cases:
        row = [name]
        for label in labels:
            found = next((r for r in by_config[label] if r["case"] == name), None)
            row.append(case_cell(found))
        rows.append(row)
    parts.append(markdown_table(["case", *labels], rows))
    parts.append(rescued(by_config))
    parts.append(goals(by_config))
    parts.append(anomalies(records, label_of))
    return "\n".join(parts)


def anomalies(records: list[Record], label_of: Callable[[Record], str]) -> str:
    """Runs that need a look: false fixes, lint left behind, writes without a fix, errors."""
    lines = ["\n## Anomalies\n"]
    checks = (
        ("false validated (agentfix said fixed, the tests fail)", "false_validated"),
        ("fixed with ruff diagnostics left", "lint_left"),
        ("file changed without a fix", "wrote_without_fix"),
        ("errors", "error"),
    )
    for title, key in checks:
        found = [f"{r['case']} ({label_of(r)})" for r in records if r.get(key)]
        if found:
            lines.append(f"- {title}: {', '.join(found)}")
    return "\n".join(lines if len(lines) > 1 else [*lines, "none"])


def case_cell(record: Record | None) -> str:
    if record is None:
        return "-"
    mark = (
        "✓"
        if record["verified"]
        else (
            "✗ FALSE"
            if record["false_validated"]
            else ("~ ruff left" if record["lint_left"] else "✗")
        )
    )
    origin = record.get("best_origin") or ""
    via = f" ({origin})" if origin.startswith("ruff") else ""
    diff = ""
    if record.get("changed") and "changed_lines" in record:
        unfaithful = "" if record.get("faithful", True) else " unfaithful"
        diff = f" Δ{record['changed_lines']}/{record['reference_changed_lines']}{unfaithful}"
    return f"{mark}{via} {record['wall_s']:.0f}s r{record['rounds']}{diff}"


def versus_single(
    single: list[Record], loop: list[Record]
) -> tuple[list[str], list[str], list[str]]:
    """(single-shot misses the loop also ran, those the loop fixed, those it lost)."""
    verified = {r["case"]: r["verified"] for r in single}
    ran = [r for r in loop if r["case"] in verified]
    misses = [r["case"] for r in ran if not verified[r["case"]]]
    fixed = [r["case"] for r in ran if r["verified"] and not verified[r["case"]]]
    lost = [r["case"] for r in ran if not r["verified"] and verified[r["case"]]]
    return misses, fixed, lost


def rescued(by_config: dict[str, list[Record]]) -> str:
    """Per loop config, the single-shot misses of the same model and provider it fixed."""
    lines = ["\n## Missed by single-shot, fixed by the loop\n"]
    pairs = per_pair(by_config)
    for (model, provider), configs in pairs.items():
        who = f"{model}/{provider}: " if len(pairs) > 1 else ""
        if "single" not in configs:
            lines.append(f"({who}no single-shot config in this run)")
            continue
        loops = [label for config, label in configs.items() if config != "single"]
        if not loops:
            lines.append(f"({who}no loop config in this run)")
            continue
        single = by_config[configs["single"]]
        for label in loops:
            misses, fixed, lost = versus_single(single, by_config[label])
            lines.append(
                f"- {label}: {len(fixed)} of {len(misses)} single-shot misses fixed "
                f"({pct(len(fixed), len(misses))}): {', '.join(fixed) or 'none'}"
                + (f" (single fixed but {label} did not: {', '.join(lost)})" if lost else "")
            )
    lines.append(
        "\nRound 1 of a loop is a fresh single-shot sample (same prompt), so part of the "
        "difference is sampling. The loop's own contribution is what later rounds fix:\n"
    )
    for label, group in by_config.items():
        if not label.endswith("single"):
            lines.append(f"- {label}: {later_rounds(group)}")
    return "\n".join(lines)


def later_rounds(group: list[Record]) -> str:
    """Cases whose first model round found no fix, and how many later rounds then fixed."""
    failed_first = [r for r in group if (r.get("rounds") or 0) >= 2]
    rescued = [r["case"] for r in failed_first if r["verified"]]
    return (
        f"round 1 found no fix in {len(failed_first)} cases; rounds 2+ fixed {len(rescued)} "
        f"of them ({pct(len(rescued), len(failed_first))}): {', '.join(rescued) or 'none'}"
    )


def met(ok: bool) -> str:
    return "met" if ok else "not met"


def goals(by_config: dict[str, list[Record]]) -> str:
    """Issue 6's goals per model and provider, each with "met" or "not met"."""
    lines = ["\n## Goals"]
    for (model, provider), configs in per_pair(by_config).items():
        lines.append(f"\n{model} ({provider}):\n")
        if "single" in configs:
            single = by_config[configs["single"]]
            misses = sum(not r["verified"] for r in single)
            lines.append(
                f"- single-shot misses {misses} of {len(single)} cases "
                f"({pct(misses, len(single))}), goal ≥ one third: {met(3 * misses >= len(single))}"
            )
            for config, label in configs.items():
                if config == "single":
                    continue
                missed, fixed, _ = versus_single(single, by_config[label])
                lines.append(
                    f"- {config} fixes {len(fixed)} of {len(missed)} single-shot misses "
                    f"({pct(len(fixed), len(missed))}), goal ≥ half: "
                    + (met(2 * len(fixed) >= len(missed)) if missed else "n/a (no misses)")
                )
        else:
            lines.append("- (no single-shot config: no miss goals)")
        groups = [by_config[label] for label in configs.values()]
        false = sum(r["false_validated"] for group in groups for r in group)
        lines.append(f"- false validated {false} over all configs, goal 0: {met(false == 0)}")
        for config, label in configs.items():
            total, model_time = time_split(by_config[label])
            share = 100 * (total - model_time) / total if total > 0 else None
            lines.append(
                f"- agent overhead {config} {fmt(share, '.1f', ' %')} of agentfix total, "
                f"goal < {OVERHEAD_GOAL:g} %: "
                + ("n/a (no timings)" if share is None else met(share < OVERHEAD_GOAL))
            )
    return "\n".join(lines)


def flag_value(argv: Sequence[str], flag: str) -> str | None:
    """The value of ``flag`` in an argv list (``--flag VALUE`` or ``--flag=VALUE``), or None."""
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    return None


def run_identity(meta: Record | None) -> Record:
    """Model and provider of a run, from its meta line (for records written without them)."""
    argvs = [meta.get("agentfix", []), meta.get("command", [])] if meta else []
    found: Record = {}
    for key in ("model", "provider"):
        value = next(filter(None, (flag_value(argv, f"--{key}") for argv in argvs)), None)
        if value:
            found[key] = value
    return found


def cmd_report(paths: list[Path], split: str = "all", splits: dict[str, str] | None = None) -> int:
    """Tables from ``--out`` files; a later record of a model/provider/config/case replaces
    an earlier one, in its place. ``splits`` maps case names to their split (for records
    written without one); with ``split`` other than "all" only that split's cases count."""
    merged: dict[tuple[str, str, str, str], Record] = {}
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines if line.strip()]
        meta = next((r for r in records if r.get("type") == "meta"), None)
        if meta:
            print(f"Command: `{shlex.join(meta['command'])}`")
        identity = run_identity(meta)
        for record in records:
            if record.get("type") == "result":
                record = {**identity, **record}
                if not record.get("split") and splits and record["case"] in splits:
                    record["split"] = splits[record["case"]]
                merged[(*pair_of(record), record["config"], record["case"])] = record
    records = list(merged.values())
    if split != "all":
        records = [r for r in records if r.get("split") == split]
        print(f"Split {split}: {len({r['case'] for r in records})} cases")
        if not records:
            print(f"no record of a case in split {split!r}")
            return 1
    print()
    print(report(records))
    return 0
