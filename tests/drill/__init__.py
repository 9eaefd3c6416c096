"""`make drill`: the fault drill of issue 9, against a local instance of its own."""
