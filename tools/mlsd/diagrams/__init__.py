"""Architecture diagrams as data: their request path, their Mermaid text and their SVG.

paths.py adds up the request path (the edges with latency_ms), for the latency rule in
checks/diagrams.py and for the case page; mermaid.py writes the flowchart GitHub draws on
a case page; svg.py draws the same text as SVG for the checklist and its PDF, and keeps
the SVGs in a committed cache; skeleton.py is the diagram `mlsd new case` writes.
"""
