"""Import spaCy without letting thinc import torch.

thinc, spaCy's machine-learning library, imports torch whenever torch is installed,
to offer its PyTorch wrappers. factcheck's spaCy pipelines never use them (the
English model runs on thinc's numpy ops), and scoring runs on ONNX Runtime, so in
`factcheck extract` that import was pure start-up cost: `import spacy` took 5.6 s
with torch and 1.4 s without (2026-12-05, 2-core dev machine).

The modules that use spaCy import this one first. It imports spaCy with torch
hidden (``import torch`` fails meanwhile, so thinc records "no torch"), then makes
torch importable again for the code that needs it (training, adapted versions,
the ONNX export). When torch or thinc is loaded already, it changes nothing.
"""

from __future__ import annotations

import sys

if "thinc" not in sys.modules and "torch" not in sys.modules:
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes "import torch" raise ImportError
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]
