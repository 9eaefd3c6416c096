"""Tandem's pure core: plain data in, plain results out. No Django imports here."""
