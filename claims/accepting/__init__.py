"""Accepting a proposal: the accept form, its figures, and its first draft of the claim."""
