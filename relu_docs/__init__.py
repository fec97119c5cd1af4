"""relu_docs: the code behind the ReLU 위키.

Every formula on the site lives here once, implemented from scratch in NumPy
and checked against PyTorch by the test-suite. The PyTorch examples that the
pages show are runnable files in :mod:`relu_docs.examples`.
"""

__version__ = "0.1.0"
