"""Benchmark the Label Studio review loop against Label Studio's own bulk import/export, in the same run.

    .venv/bin/python bench/labelstudio.py [--claims 10000] [--batch-size 500] [--keep]

Needs the server venv (``bash scripts/install-labelstudio.sh``). Starts a private
Label Studio on a free port of 127.0.0.1 with a temporary data dir and config file
(the user's own server and ``~/.config/factcheck/labelstudio.json`` are never
touched) and stops it at the end.

Steps, all against that one server:

1. a temporary store with ``--claims`` claims: synthetic bilingual articles
   (zh and en templates with varying numbers, units, dates, places, companies and
   people; ~10 check-worthy claims per article plus a few opinions/predictions)
   run through the real rule extractor (``extract_article``) and ``save_extraction``;
   each claim gets a simulated check-worthiness score (model version
   ``bench-sim``) so its task carries the same prediction a scored claim would;
2. the baseline for push: the SAME task payloads (``build_task`` for every claim,
   built before the clock starts) imported raw with ``projects.import_tasks`` in
   batches of ``--batch-size`` into a fresh project, once before and once after
   the push (the server's database grows by N tasks per import; the mean of the
   two brackets the push);
3. ``factcheck.review.labelstudio.push`` into a fresh project (target: ≤ 1.5× the raw import),
   then a re-push with nothing new (no target; shown for the record);
4. setup, not timed: the same payloads imported WITH one annotation each (verdict,
   check-worthiness, evidence links) into a fresh project;
5. the baseline for pull: Label Studio's own export of that project
   (``/api/projects/{id}/export?exportType=JSON``, downloaded and parsed), once
   before and once after the full pull; also, for the record, the bare task
   listing that pull pages through (``tasks.list(fields="all", page_size=1000)``);
6. ``pull(full=True)`` (ratio to the export) and an incremental ``pull`` with
   nothing new (target: under 1 s).

Prints a table (step, seconds, ratio to its baseline, target, met?), where the
push's own time goes (queries, ``build_task``, prediction validation), and the
server's resident memory read from ``/proc``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck.errors import LabelStudioError  # noqa: E402
from factcheck.extraction.ingest import parse_text  # noqa: E402
from factcheck.extraction.pipeline import extract_article  # noqa: E402
from factcheck.review import labelstudio as fls  # noqa: E402
from factcheck.review import server as lss  # noqa: E402
from factcheck.review.tasks import build_task, labelling_config, task_fingerprint  # noqa: E402
from factcheck.store.claims import claim_from_row  # noqa: E402
from factcheck.store.db import open_db, save_extraction  # noqa: E402

PUSH_TARGET = 1.5  # push ≤ 1.5 × raw bulk import
INCREMENTAL_TARGET_S = 1.0  # an empty incremental pull under 1 s

# --- synthetic bilingual articles -------------------------------------------------------------

ZH_PLACES = ["广东", "江苏", "山东", "浙江", "河南", "四川", "湖北", "福建", "湖南", "安徽", "上海", "北京"]
ZH_ORGS = ["国家统计局", "海关总署", "国家能源局", "中国人民银行", "财政部", "国家电网", "商务部"]
ZH_PEOPLE = ["王建国", "李晓明", "张伟", "刘洋", "陈静"]
ZH_CLAIMS = [
    "{y}年{p}地区生产总值增长{x}%，增速比上年加快{d}个百分点。",
    "截至{y}年底，{p}光伏装机容量达到{n}万千瓦，风电装机约{m}万千瓦。",
    "{y}年{mo}月{p}出口额为{n}亿美元，同比增长{x}%。",
    "{o}数据显示，{y}年全国粮食产量为{n}万吨，比上年增加{d}万吨。",
    "{p}去年新增城镇就业{n}万人，城镇调查失业率为{x}%。",
    "{y}年第{q}季度{p}规模以上工业增加值同比增长{x}%。",
    "{o}称，{y}年{mo}月居民消费价格指数同比上涨{x}%。",
    "{p}今年前{mo}个月固定资产投资{n}亿元，同比下降{x}%。",
    "{y}年{p}常住人口为{n}万人，比上年末减少{d}万人。",
    "{o}发言人{h}表示，{y}年全国新能源汽车销量超过{n}万辆。",
    "{p}每天处理生活垃圾约{n}吨，比{y}年增加{x}%。",
    "{y}年{p}共有{n}家企业获评高新技术企业，占全省企业总数的{x}%。",
]
ZH_OTHER = [
    "业内人士认为，{p}的经济前景依然乐观。",
    "预计明年{p}的增速将有所放缓。",
    "这一政策究竟能否奏效？",
]
EN_PLACES = ["Texas", "Ohio", "Bavaria", "Ontario", "Queensland", "California", "Scotland", "Gujarat"]
EN_ORGS = ["Acme Corp", "Globex", "Initech", "Umbrella Energy", "Northwind Power", "Contoso Motors"]
EN_PEOPLE = ["Maria Lopez", "John Carter", "Aisha Khan", "Peter Novak", "Emma Schultz"]
EN_MONTHS = ["January", "March", "April", "June", "August", "October", "December"]
EN_CLAIMS = [
    "{c} reported revenue of ${x} billion in {y}, up {d}% from a year earlier.",
    "The grid operator in {p} added {n} MW of battery storage in {y}.",
    "Unemployment in {p} fell to {x}% in {mon} {y}, the lowest level since {y0}.",
    "Officials said the new transmission line cost ${x} billion and carries {n} MW.",
    "{c} shipped {nk} vehicles in the third quarter of {y}.",
    "Crude production in {p} averaged {x} million barrels a day in {y}.",
    "{h}, the chief executive of {c}, said the company cut {n} jobs in {y}.",
    "Electricity prices in {p} rose by more than {d}% between {y0} and {y}.",
    "{p} exported about {n} million tonnes of coal last year.",
    "The population of {p} grew by {x}% to {nk} people in {y}.",
    "{c} spent ${x} billion on research in {y}, twice as much as in {y0}.",
    "Solar output in {p} reached a record {n} GWh in {mon} {y}.",
]
EN_OTHER = [
    "Analysts think the outlook for {p} remains bright.",
    "Prices will probably rise further next year.",
    "Is this policy working?",
]


def synthetic_article(i: int, rng: random.Random) -> tuple[str, str, str, str]:
    """(text, title, url, published) of article ``i``: zh for even i, en for odd i; distinct texts."""
    zh = i % 2 == 0
    year = rng.randint(2016, 2025)
    published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def fill(template: str) -> str:
        y = rng.randint(2015, 2025)
        return template.format(
            y=y, y0=y - rng.randint(2, 9), p=rng.choice(ZH_PLACES if zh else EN_PLACES),
            o=rng.choice(ZH_ORGS), c=rng.choice(EN_ORGS), h=rng.choice(ZH_PEOPLE if zh else EN_PEOPLE),
            x=round(rng.uniform(0.1, 19.9), 1), d=rng.randint(1, 30), n=rng.randint(12, 9999),
            nk=f"{rng.randint(12, 9999) * 1000:,}",
            m=rng.randint(10, 999), mo=rng.randint(1, 12), q=rng.randint(1, 4), mon=rng.choice(EN_MONTHS),
        )

    claims, other = (ZH_CLAIMS, ZH_OTHER) if zh else (EN_CLAIMS, EN_OTHER)
    sentences = [fill(t) for t in rng.sample(claims, 10)] + [fill(t) for t in rng.sample(other, 2)]
    rng.shuffle(sentences)
    if zh:
        title = f"{rng.choice(ZH_PLACES)}经济观察（第{i}期）"
        body = "".join(sentences[:6]) + "\n\n" + "".join(sentences[6:])
        byline = f"记者 {rng.choice(ZH_PEOPLE)}　发布时间：{published}"
    else:
        title = f"{rng.choice(EN_PLACES)} energy and economy briefing no. {i}"
        body = " ".join(sentences[:6]) + "\n\n" + " ".join(sentences[6:])
        byline = f"By {rng.choice(EN_PEOPLE)}, published {published}"
    return f"{title}\n\n{byline}\n\n{body}\n", title, f"https://news.example.org/{i:06d}", published


def build_store(path: Path, n_claims: int, seed: int = 7) -> tuple[object, dict]:
    """A store holding exactly ``n_claims`` check-worthy claims (plus the rejected candidates)."""
    db = open_db(path)
    rng = random.Random(seed)
    stats = {"articles": 0, "candidates": 0, "claims": 0, "zh": 0, "en": 0}
    started = time.perf_counter()
    i = 0
    while stats["claims"] < n_claims:
        text, title, url, published = synthetic_article(i, rng)
        i += 1
        article = parse_text(text, f"bench/{i:06d}.txt", "txt")
        article.title, article.url, article.published = title, url, published
        candidates = extract_article(article)
        kept, room = [], n_claims - stats["claims"]
        for claim in candidates:
            if claim.is_claim:
                if room == 0:
                    continue  # the last article is cut so the store holds exactly n_claims
                room -= 1
                # What a check-worthiness model would add: a score and its version.
                claim.checkworthiness = round(rng.uniform(0.05, 0.99), 4)
                claim.model_version = "bench-sim"
                stats[claim.lang] = stats.get(claim.lang, 0) + 1
            kept.append(claim)
        save_extraction(db, article, kept)
        stats["articles"] += 1
        stats["candidates"] += len(kept)
        stats["claims"] += sum(c.is_claim for c in kept)
    stats["seconds"] = time.perf_counter() - started
    for table in ("quantities", "times", "entities"):
        stats[table] = db[table].count
    return db, stats


# --- payloads, with the push's local costs timed step by step --------------------------------


def payloads(db, project_id: int) -> tuple[list[tuple[str, dict]], dict[str, float]]:
    """What push would send, built with push's own helpers; returns the tasks and a time per step."""
    from label_studio_sdk.label_interface import LabelInterface

    times = dict.fromkeys(("select claims", "claim_from_row", "build_task", "validate_prediction",
                           "task_fingerprint"), 0.0)
    t = time.perf_counter()
    interface = LabelInterface(labelling_config())
    rows = fls._claims_to_push(db, project_id, limit=None, min_score=None, order="uncertainty")
    times["select claims"] = time.perf_counter() - t
    out = []
    for row in rows:
        t0 = time.perf_counter()
        claim = claim_from_row(db, row)
        t1 = time.perf_counter()
        task = build_task(claim, title=row["title"], url=row["url"])
        t2 = time.perf_counter()
        ok = interface.validate_prediction(task["predictions"][0])
        t3 = time.perf_counter()
        task_fingerprint(task)
        t4 = time.perf_counter()
        times["claim_from_row"] += t1 - t0
        times["build_task"] += t2 - t1
        times["validate_prediction"] += t3 - t2
        times["task_fingerprint"] += t4 - t3
        if ok:
            out.append((row["id"], task))
    return out, times


# --- Label Studio side ------------------------------------------------------------------------


def new_project(ls, title: str) -> int:
    return ls.projects.create(title=title, label_config=labelling_config()).id


def raw_import(ls, project_id: int, tasks: list[dict], batch_size: int) -> float:
    """Label Studio's own bulk import of ready payloads, same endpoint, arguments and batches as push."""
    started = time.perf_counter()
    for start in range(0, len(tasks), batch_size):
        response = ls.projects.import_tasks(id=project_id, request=tasks[start : start + batch_size],
                                            return_task_ids=True)
        assert len(response.task_ids or []) == len(tasks[start : start + batch_size]), response
    return time.perf_counter() - started


VERDICT_MIX = ["supported"] * 5 + ["refuted"] * 2 + ["misleading", "unverifiable", "not a claim"]


def annotated(tasks: list[tuple[str, dict]], rng: random.Random) -> list[dict]:
    """The payloads plus one annotation each, as a reviewer would leave them."""
    out = []
    for k, (claim_id, task) in enumerate(tasks):
        verdict = rng.choice(VERDICT_MIX)
        result = [
            {"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": [verdict]}},
            {"from_name": "checkworthy", "to_name": "claim", "type": "choices",
             "value": {"choices": ["check-worthy" if verdict != "not a claim" else "not check-worthy"]}},
        ]
        if verdict != "not a claim":
            result.append({"from_name": "evidence", "to_name": "claim", "type": "textarea", "value": {"text": [
                f"https://stats.example.gov/report/{k} | table {rng.randint(1, 9)}",
                f"https://archive.example.org/{claim_id} | original release"]}})
        if verdict == "misleading":
            result.append({"from_name": "corrected_claim", "to_name": "claim", "type": "textarea",
                           "value": {"text": [task["data"]["claim"] + "（更正）"]}})
        out.append({**task, "annotations": [{"result": result, "lead_time": round(rng.uniform(5, 120), 1)}]})
    return out


def export_json(ls, project_id: int) -> tuple[float, int]:
    """Label Studio's own export (annotated tasks, JSON), downloaded and parsed."""
    started = time.perf_counter()
    body = b"".join(ls.projects.exports.download_sync(id=project_id, export_type="JSON"))
    exported = json.loads(body)
    return time.perf_counter() - started, len(exported)


def list_tasks(ls, project_id: int) -> tuple[float, int]:
    """The listing pull pages through, without storing anything."""
    started = time.perf_counter()
    n = sum(1 for _ in ls.tasks.list(project=project_id, fields="all", page_size=1000, only_annotated=False))
    return time.perf_counter() - started, n


def proc_rss_mb(pid: int) -> tuple[float, float] | None:
    """(VmRSS, VmHWM) in MB of ``pid`` plus every process of its session (the server runs in its own)."""
    rss = hwm = 0.0
    found = False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError):
            continue
        if int(fields[3]) != pid and int(stat.parent.name) != pid:  # fields[3] is the session id
            continue
        found = True
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss += int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                hwm += int(line.split()[1]) / 1024
    return (rss, hwm) if found else None


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Row:
    step: str
    seconds: float
    baseline: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""


def print_table(rows: list[Row]) -> None:
    print(f"{'step':44} {'seconds':>8} {'× base':>7} {'target':>10} {'met':>4}  note")
    for r in rows:
        ratio = f"{r.seconds / r.baseline:6.2f}×" if r.baseline else ""
        met = "" if r.met is None else ("yes" if r.met else "NO")
        print(f"{r.step:44} {r.seconds:8.2f} {ratio:>7} {r.target:>10} {met:>4}  {r.note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10_000, help="claims to push and annotations to pull")
    parser.add_argument("--batch-size", type=int, default=fls.BATCH_SIZE, help="tasks per import request")
    parser.add_argument("--keep", action="store_true", help="keep the temporary store and server data dir")
    args = parser.parse_args()

    if not (lss.venv_dir() / "bin" / "label-studio").exists():
        print(f"The Label Studio server is not installed ({lss.venv_dir()}/bin/label-studio is missing).\n"
              f"Run `{lss.INSTALL_HINT}` first, then re-run this benchmark.", file=sys.stderr)
        return 2

    from label_studio_sdk import LabelStudio

    tmp = Path(tempfile.mkdtemp(prefix="factcheck-bench-ls-"))
    config_path = tmp / "labelstudio.json"
    info = None
    try:
        t = time.perf_counter()
        db, stats = build_store(tmp / "store.db", args.claims)
        print(f"store: {stats['claims']:,} claims ({stats['zh']:,} zh, {stats['en']:,} en; "
              f"{stats['candidates'] - stats['claims']:,} rejected candidates) from {stats['articles']:,} synthetic "
              f"articles through extract_article + save_extraction in {stats['seconds']:.1f} s; "
              f"{stats['quantities']:,} quantities, {stats['times']:,} times, {stats['entities']:,} entities")

        t = time.perf_counter()
        info = lss.start(data_dir=tmp / "labelstudio", config_path=config_path)
        ls = LabelStudio(base_url=info.url, api_key=info.api_key, timeout=600)
        version = lss.server_version(info.url, info.api_key)
        print(f"server: Label Studio {version} at {info.url} (pid {info.pid}), started in "
              f"{time.perf_counter() - t:.1f} s; batch size {args.batch_size}")

        # Payloads for the baselines, with push's local steps timed (project 0 exists nowhere: every claim is new).
        tasks, prep = payloads(db, 0)
        raw_tasks = [task for _, task in tasks]
        size_mb = sum(len(json.dumps(task, ensure_ascii=False).encode()) for task in raw_tasks) / 1e6
        print(f"payload: {len(raw_tasks):,} tasks with predictions, {size_mb:.1f} MB of JSON")

        rows: list[Row] = []
        # --- push vs raw import, the raw import bracketing the push
        raw1 = raw_import(ls, new_project(ls, "bench raw import 1"), raw_tasks, args.batch_size)
        push_project = fls.setup_project(ls, "bench push", db)
        t = time.perf_counter()
        report = fls.push(db, ls, push_project, batch_size=args.batch_size)
        push_s = time.perf_counter() - t
        raw2 = raw_import(ls, new_project(ls, "bench raw import 2"), raw_tasks, args.batch_size)
        raw = (raw1 + raw2) / 2
        assert report.sent == len(raw_tasks), report
        t = time.perf_counter()
        again = fls.push(db, ls, push_project, batch_size=args.batch_size)
        repush_s = time.perf_counter() - t
        assert (again.sent, again.updated, again.already) == (0, 0, len(raw_tasks)), again
        rows += [
            Row("raw bulk import (before push)", raw1, note=f"{len(raw_tasks):,} tasks"),
            Row("raw bulk import (after push)", raw2),
            Row("push", push_s, raw, f"≤ {PUSH_TARGET}×", push_s / raw <= PUSH_TARGET,
                f"sent {report.sent:,}; baseline = mean of the two raw imports"),
            Row("re-push, nothing new", repush_s, raw, note=f"already {again.already:,}"),
        ]

        # --- pull vs export, on a project whose every task carries one annotation
        t = time.perf_counter()
        pull_project = new_project(ls, "bench pull")
        raw_import(ls, pull_project, annotated(tasks, random.Random(11)), 1000)
        print(f"setup (not timed): imported {len(tasks):,} annotated tasks in {time.perf_counter() - t:.1f} s")
        export1, n_export = export_json(ls, pull_project)
        list_s, n_listed = list_tasks(ls, pull_project)
        t = time.perf_counter()
        full = fls.pull(db, ls, pull_project, full=True)
        full_s = time.perf_counter() - t
        export2, _ = export_json(ls, pull_project)
        export = (export1 + export2) / 2
        t = time.perf_counter()
        empty = fls.pull(db, ls, pull_project)
        empty_s = time.perf_counter() - t
        assert n_export == n_listed == full.tasks == full.verdicts == len(tasks), (n_export, n_listed, full)
        assert db["verdicts"].count_where("project_id = ?", [pull_project]) == len(tasks)
        rows += [
            Row("Label Studio export JSON (before pull)", export1, note=f"{n_export:,} annotated tasks"),
            Row("Label Studio export JSON (after pull)", export2),
            Row("tasks.list fields=all, no store (for ref.)", list_s, export, note="what pull pages through"),
            Row("pull, full", full_s, export, note=f"{full.verdicts:,} verdicts, {full.invalid} invalid; "
                                                   "baseline = mean of the two exports"),
            Row("pull, incremental, nothing new", empty_s, None, f"< {INCREMENTAL_TARGET_S:g} s",
                empty_s < INCREMENTAL_TARGET_S, f"{empty.tasks} tasks seen"),
        ]

        print()
        print_table(rows)
        print()
        local = sum(prep.values())
        print(f"push's local work per claim, timed on the same {len(tasks):,} claims outside the push "
              f"({local:.2f} s in all, {local / max(1, len(tasks)) * 1e3:.2f} ms a claim):")
        for step, seconds in prep.items():
            print(f"  {step:22} {seconds:7.2f} s")
        server = proc_rss_mb(info.pid)
        if server:
            print(f"server RSS now {server[0]:.0f} MB, peak {server[1]:.0f} MB (all processes of its session)")
        print(f"bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        return 0
    except LabelStudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if info is not None or config_path.exists():
            lss.stop(config_path=config_path)
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
