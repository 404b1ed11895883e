"""Getting a plan into a store: plan templates, sample progress, and a large plan for benchmarks."""
