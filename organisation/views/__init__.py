"""Views of the organisation app, one module per resource: the structure (`struktur`), its changes
(`strukturaendringer`, staff) and meetings (`moeder`, public and staff)."""
