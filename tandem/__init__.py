"""Tandem keeps a company's OKRs and its product roadmap in tandem."""
