"""The per-article analysis as a datatrove pipeline, run by datatrove's executors (local, Ray, Slurm).

The build writes its cleaned articles as JSONL shards (`shards`), the executor
runs reader → `AnalyseShard` → `RecordWriter` (`steps`) once per shard with
datatrove's completion files (`executors`), and the build reads the records
back in input order for the corpus steps (`build`). Imported only when a build
asks for an executor: datatrove and Ray stay out of a plain build.
"""
