"""Is the dynamic int8 encoder good enough to score with? Speed and F1 against fp32, same run.

    OMP_NUM_THREADS=1 .venv/bin/python bench/int8.py [--model VERSION] [--speed-texts 600]
        [--retrain 13,14,15] [--out DIR]

For a model version (default: the promoted one) it

1. times the fp32 and the int8 ONNX encoder on the same texts (the card's dev rows,
   interleaved, best of two rounds; wall and CPU time) and reports the cosine of their vectors;
2. scores the card's dev rows and every held-out set (as the card had them: from git at
   the commit that added the card when the data files changed since) with both encoders, and reports each
   held-out set's F1 with fp32 at the card's thresholds (the card's figure), int8 at the
   card's thresholds (what switching the encoder alone does), and int8 at thresholds
   recalibrated on the int8 scores of the same dev rows (:mod:`factcheck.model.int8`);
3. reports how often the extractor's keep/drop decision (its recall-first thresholds)
   differs between fp32 and int8-recalibrated, per held-out set;
4. when the version carries a head trained on int8 vectors (``models/<version>/int8/``,
   :func:`factcheck.model.int8.train_int8_head`), the same two figures for that head on int8
   vectors at its own thresholds;
5. with ``--retrain SEEDS``, retrains the version's recipe once per seed on fp32 vectors and
   once on int8 vectors (same data, same seeds: the seed draws the split, the initialisation
   and the batch order) and reports each held-out set's F1 for both, beside the card's:
   the seed spread of the fp32 runs is the training noise the int8 heads are judged against.
   Three seeds of a 3-head recipe take about 20 minutes on one thread (``OMP_NUM_THREADS=1``:
   the thread count the card was trained with, so the card's seed reproduces it).

Verdict: int8 can be the default only if no held-out F1 (int8, recalibrated) falls below
fp32's by more than the seed spread of docs/models.md (max - min F1 over seeds, per set).
Vectors of both precisions are cached (training's embedding cache, one file per precision),
so a second run takes seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

#: F1 spread (max - min over seeds 13-15) per held-out set, from docs/models.md's "Training
#: noise" table of the promoted recipe cw-20261207-224545-d8f2adc750 (3 averaged heads, one
#: torch thread). ``--retrain`` measures the spread again in the same run.
SEED_SPREAD = {
    "clef2024:CT24_checkworthy_english_dev-test": 0.804 - 0.750,
    "clef2022_1b:CT22_english_1B_claim_dev_test": 0.837 - 0.829,
    "claimbuster:test": 0.876 - 0.829,
    "clef2020_tweets:test-gold:test": 0.653 - 0.644,
    "project_jsonl:zh_checkworthy:test": 0.967 - 0.950,
    "project_jsonl:en_checkworthy:test": 0.949 - 0.943,
    "zh_real:zh_real_checkworthy:test": 0.871 - 0.866,
    "clef2022_1a:CT22_english_1A_checkworthy_dev_test": 0.383 - 0.372,
    "clef2019:CT19-T1-Test": 0.139 - 0.133,
}


#: precision -> the Encoder this run embeds with (set in main)
ENCODERS: dict = {}


def embedding_vectors(precision: str, texts: list[str]) -> np.ndarray:
    """``texts``' vectors from the ``precision`` encoder, through training's embedding cache."""
    from factcheck.embed.cache import embedding_cache_for

    encoder = ENCODERS[precision]
    return embedding_cache_for(encoder).embed(encoder, texts)


def timed(encoder, texts: list[str]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    encoder.embed(texts)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="version (default: the promoted one)")
    parser.add_argument("--speed-texts", type=int, default=600, help="dev rows timed per encoder and round")
    parser.add_argument("--retrain", metavar="SEEDS", help="comma-separated seeds: retrain the recipe on each "
                        "precision's vectors")
    parser.add_argument("--out", default="bench/results", help="where int8.json goes")
    options = parser.parse_args()

    from factcheck.embed.encoder import Encoder
    from factcheck.extraction.score import Thresholds
    from factcheck.model.evaluate import evaluate_probs
    from factcheck.model.int8 import calibrate, card_data
    from factcheck.model.registry import require_model

    model = require_model(options.model)
    card = model.card
    if model.tuned_top is not None:
        sys.exit(f"{model.version} adapts encoder layers, which run on torch: int8 ONNX does not apply")
    fp32, int8 = Encoder(precision="fp32"), Encoder(precision="int8")
    data = card_data(card)  # the card's own dev rows and held-out sets, from git when the files changed since
    dev_texts = [e.text for e in data.dev]

    # 1. speed on the same texts, interleaved (the machine is shared: best of two rounds)
    sample = dev_texts[: options.speed_texts]
    fp32.embed(sample[:32]), int8.embed(sample[:32])  # warm-up
    rounds = [(timed(fp32, sample), timed(int8, sample)) for _ in range(2)]
    (f_wall, f_cpu), (q_wall, q_cpu) = min(r[0] for r in rounds), min(r[1] for r in rounds)
    cosines = np.einsum("ij,ij->i", fp32.embed(sample), int8.embed(sample))
    print(f"encoder alone, {len(sample)} dev rows: fp32 {len(sample) / f_wall:.1f} texts/s "
          f"({f_cpu:.1f} CPU-s), int8 {len(sample) / q_wall:.1f} texts/s ({q_cpu:.1f} CPU-s): "
          f"{f_wall / q_wall:.2f}x wall, {f_cpu / q_cpu:.2f}x CPU; cosine min {cosines.min():.4f} "
          f"mean {cosines.mean():.4f}")

    # 2. F1 on every held-out set
    encoders = {"fp32": fp32, "int8": int8}
    ENCODERS.update(encoders)

    def probs(precision: str, texts: list[str]) -> np.ndarray:
        return model.head.claim_probabilities(embedding_vectors(precision, texts))

    dev_fp32, dev_int8 = probs("fp32", dev_texts), probs("int8", dev_texts)
    calibrated = calibrate(dev_fp32, dev_int8, data.dev, card)

    def cut(table: dict) -> Thresholds:
        return Thresholds(default=table["default"], per_lang={k: v for k, v in table.items() if k != "default"})

    card_cut, int8_cut = cut(card["thresholds"]), cut(calibrated["thresholds"])
    card_extract, int8_extract = cut(card["extract_thresholds"]), cut(calibrated["extract_thresholds"])
    print(f"thresholds: card {card['thresholds']} -> int8 {calibrated['thresholds']}")
    print(f"extractor:  card {card['extract_thresholds']} -> int8 {calibrated['extract_thresholds']}")
    print(f"dev score shift |int8 - fp32|: max {np.abs(dev_int8 - dev_fp32).max():.3f}, "
          f"mean {np.abs(dev_int8 - dev_fp32).mean():.4f}")
    print()
    print("| held-out set | n | fp32 F1 (card cut) | int8, card cut | int8, recalibrated | change | seed spread "
          "| extractor decisions that differ |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    rows, verdict = {}, True
    for name, items in data.heldout.items():
        texts = [e.text for e in items]
        p32, p8 = probs("fp32", texts), probs("int8", texts)
        f_card = evaluate_probs(p32, items, card_cut)["f1"]
        f_raw = evaluate_probs(p8, items, card_cut)["f1"]
        f_new = evaluate_probs(p8, items, int8_cut)["f1"]
        keep32 = p32 >= np.array([card_extract.for_lang(e.lang) for e in items])
        keep8 = p8 >= np.array([int8_extract.for_lang(e.lang) for e in items])
        flips = int((keep32 != keep8).sum())
        spread = SEED_SPREAD.get(name)
        within = spread is not None and f_card - f_new <= spread + 1e-9
        verdict &= within or f_new >= f_card
        rows[name] = {"n": len(items), "fp32": f_card, "int8_card_cut": f_raw, "int8_recalibrated": f_new,
                      "seed_spread": spread, "extractor_flips": flips}
        print(f"| {name} | {len(items)} | {f_card:.3f} | {f_raw:.3f} | {f_new:.3f} | {f_new - f_card:+.3f} | "
              f"{'?' if spread is None else f'{spread:.3f}'} | {flips} ({flips / len(items):.1%}) |")
    print()
    print("verdict: the fp32 head on int8 " + (
        "can be the default (no held-out F1 drops beyond the seed spread)" if verdict else
        "stays opt-in (a held-out F1 drops beyond the seed spread)"))

    # 4. the version's own int8 head, when it has one
    int8_head = int8_head_rows(model, data, probs, card_extract)
    # 5. the recipe retrained on each precision's vectors
    retrained = retrain(card, [int(s) for s in options.retrain.split(",")], encoders) if options.retrain else None
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "int8.json").write_text(json.dumps({
        "version": model.version, "speed": {"texts": len(sample), "fp32_wall": f_wall, "int8_wall": q_wall,
                                            "fp32_cpu": f_cpu, "int8_cpu": q_cpu},
        "cosine_min": float(cosines.min()), "calibrated": calibrated, "heldout": rows, "default_ok": verdict,
        "int8_head": int8_head, "retrained": retrained,
    }, indent=1) + "\n", "utf-8")


def int8_head_rows(model, data, probs, card_extract) -> dict | None:
    """F1 of the version's int8 head (on int8 vectors, its own thresholds) per held-out set,
    beside the card's fp32 F1, and the extractor decisions that differ from fp32's."""
    from factcheck.extraction.score import Thresholds
    from factcheck.model.classifier import Head
    from factcheck.model.evaluate import evaluate_probs
    from factcheck.model.int8 import int8_head_dir

    folder = int8_head_dir(model.dir)
    if folder is None:
        print(f"\n{model.version} has no int8 head (factcheck.model.int8.train_int8_head writes one)")
        return None
    head = Head.load(folder / "head.safetensors")
    head_card = json.loads((folder / "card.json").read_text("utf-8"))

    def cut(table: dict) -> Thresholds:
        return Thresholds(default=table["default"], per_lang={k: v for k, v in table.items() if k != "default"})

    best, extract = cut(head_card["thresholds"]), cut(head_card["extract_thresholds"])
    card_best = cut(model.card["thresholds"])
    print(f"\nthe version's int8 head ({folder}): thresholds {head_card['thresholds']}, "
          f"extractor {head_card['extract_thresholds']}")
    print("| held-out set | n | fp32 head on fp32 (card) | int8 head on int8 | change | seed spread "
          "| extractor decisions that differ |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    rows = {}
    for name, items in data.heldout.items():
        texts = [e.text for e in items]
        p32 = probs("fp32", texts)
        p8 = head.claim_probabilities(embedding_vectors("int8", texts))
        f32, f8 = evaluate_probs(p32, items, card_best)["f1"], evaluate_probs(p8, items, best)["f1"]
        keep32 = p32 >= np.array([card_extract.for_lang(e.lang) for e in items])
        keep8 = p8 >= np.array([extract.for_lang(e.lang) for e in items])
        flips = int((keep32 != keep8).sum())
        spread = SEED_SPREAD.get(name)
        rows[name] = {"n": len(items), "fp32": f32, "int8_head": f8, "extractor_flips": flips}
        print(f"| {name} | {len(items)} | {f32:.3f} | {f8:.3f} | {f8 - f32:+.3f} | "
              f"{'?' if spread is None else f'{spread:.3f}'} | {flips} ({flips / len(items):.1%}) |")
    return rows


def retrain(card: dict, seeds: list[int], encoders: dict) -> dict:
    """The card's recipe trained once per seed on each precision's vectors: held-out F1s,
    and the verdict (the int8 head of the card's seed against the card, within the spread of
    the fp32 seeds)."""
    from factcheck.model.int8 import fit_recipe

    f1: dict[str, dict[str, list[float]]] = {"fp32": {}, "int8": {}}
    for seed in seeds:
        for precision in ("fp32", "int8"):
            fitted = fit_recipe(card, encoders[precision], seed=seed, extractor=False)
            for name, figures in fitted["metrics"].items():
                if name != "dev":
                    f1[precision].setdefault(name, []).append(figures["f1"])
            figures = ", ".join(f"{name.split(':')[1] if ':' in name else name} {m['f1']:.3f}"
                                for name, m in fitted["metrics"].items())
            print(f"  seed {seed} {precision} ({fitted['seconds']:.0f} s): {figures}", flush=True)
    own = seeds.index(card["hyperparameters"]["seed"]) if card["hyperparameters"]["seed"] in seeds else None
    print(f"\nthe recipe retrained, seeds {seeds} (F1 min-mean-max; 'own seed' = seed "
          f"{card['hyperparameters']['seed']}, the card's)")
    print("| held-out set | card (fp32) | fp32 seeds | int8 seeds | int8, own seed | own seed - card "
          "| fp32 spread | mean int8 - mean fp32 | within noise |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")

    def triple(values: list[float]) -> str:
        return f"{min(values):.3f}-{np.mean(values):.3f}-{max(values):.3f}"

    rows, verdict = {}, True
    for name, fp32 in f1["fp32"].items():
        int8 = f1["int8"][name]
        card_f1 = card["metrics"].get(name, {}).get("f1", float("nan"))
        spread = max(fp32) - min(fp32)
        mine = int8[own] if own is not None else float(np.mean(int8))
        within = card_f1 - mine <= spread + 1e-9 and np.mean(fp32) - np.mean(int8) <= spread + 1e-9
        verdict &= bool(within)
        rows[name] = {"card": card_f1, "fp32": fp32, "int8": int8, "spread": spread, "within_noise": bool(within)}
        print(f"| {name} | {card_f1:.3f} | {triple(fp32)} | {triple(int8)} | {mine:.3f} | {mine - card_f1:+.3f} | "
              f"{spread:.3f} | {np.mean(int8) - np.mean(fp32):+.3f} | {'yes' if within else '**no**'} |")
    print("\nverdict: heads trained on int8 vectors " + ("hold within training noise on every held-out set" if verdict
                                                       else "lose beyond training noise on a held-out set"))
    return {"seeds": seeds, "heldout": rows, "within_noise": verdict}


if __name__ == "__main__":
    main()
