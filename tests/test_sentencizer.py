"""factcheck's Chinese sentencizer splits exactly where spaCy's ``sentencizer`` does."""

from __future__ import annotations

from spacy.pipeline import Sentencizer

from factcheck.extraction.components import FastSentencizer

from .test_times import gate_corpus

TRICKS = ["", "。", "。。他说。", "“好。”他说！？接着", "IAEA报告。 显示 …  结束", "a. b", "他说：“走！”\n然后？？走了"]


def test_sentencizer_gives_spacys_sentences(nlp_zh):
    ours = nlp_zh.get_pipe("sentencizer")
    assert isinstance(ours, FastSentencizer)
    spacys = Sentencizer()
    texts = [t for t in dict.fromkeys([*gate_corpus(), *TRICKS]) if len(t) < 20_000]
    texts = [t for t in texts if not any("\ud800" <= c <= "\udfff" for c in t)]  # spaCy stores only UTF-8
    docs = [nlp_zh.make_doc(t) for t in texts]
    assert any(" " in t for t in texts)  # docs cut by spaCy's tokenizer path as well as by the shortcut
    assert ours.predict(docs) == spacys.predict(docs)
    assert [[s.text for s in doc.sents] for doc in nlp_zh.pipe(texts[:200])] == [
        [s.text for s in spacys(nlp_zh.make_doc(t)).sents] for t in texts[:200]
    ]
