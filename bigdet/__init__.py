"""bigdet: one large object-detection dataset from LVIS v1, Open Images and Objects365."""

__version__ = "0.1.0"
