"""The check-worthiness classifier: ``datasets`` reads labelled data, ``classifier`` is a
model version (head + thresholds over the encoder), ``adapter`` adapts the encoder's top
layers, ``train``/``evaluate`` fit and score versions, ``registry`` keeps them in
``models/``, ``retrain`` retrains from the annotations, ``simulate`` replays active
learning."""
