"""The unified label space and the mapping of every source class onto it.

Pure and data-driven: it works on category names and lists, and imports nothing from ``bigdet``.
"""
