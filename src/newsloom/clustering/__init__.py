"""Same-event clustering: each article's main event -> a real-world event; events -> storylines.

- `config`: every number of the clustering, with its meaning (`SETTINGS`, overridable from a file).
- `pairmodel`: how likely two reports tell one happening (features and the learned pair model, as data).
- `online`: assignment of each new report to an event in the store, refinement after a batch, storylines.
"""
