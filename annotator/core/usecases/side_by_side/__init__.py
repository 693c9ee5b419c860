"""Side-by-side comparisons (issue 16): create them, judge them, bring judgments in and out."""
