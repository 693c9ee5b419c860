"""annotator: human evaluation of fine-tuned language models."""

__version__ = "0.1.0"
