"""Log classification service: sorts log lines into nine functional categories.

Map: every module (README "Where do I change X" says where each kind of change goes). Imports go one
way, with no cycle (tests/test_package_layout.py): api, cli and spark on top (receivers and alerts serve
the api); then the cascade and its stages; model, text, formats and patterns below them; config,
contract, output_fields, errors and taxonomy at the bottom.

    config.py          every setting (env / .env) and the shipped data files' paths
    taxonomy.py        the category names
    contract.py        LogRecord, Prediction, Processor: what a stage takes and gives
    output_fields.py   the fields an answer adds for a prediction (CSV, /ingest, /classify/json)
    errors.py          the exception hierarchy
    logging_setup.py   plain or JSON log lines carrying the request id
    cascade.py         the cascade and its loading
    cache.py           the result cache
    cancellation.py    stopping work for clients that left
    alerts.py          alert webhooks
    cli.py             `python classifier.py`

    text/              what a line becomes before the stages see it: prepare.py (the one preparation),
                       masking.py (variable parts → placeholders), structured.py (logfmt, JSON, CEF, LEEF
                       fields), severity.py (the header's severity), pattern_key.py (what makes lines "the
                       same"), redaction.py (what the LLM must not see)
    stages/            the cascade's stages: regex.py, feedback.py (corrections: feedback and similar),
                       embedding.py (MiniLM embeddings + regression, its fast path; "bert" in answers),
                       encoder_queue.py (the encoder's wait, for load shedding), llm.py (the LLM stage),
                       llm_prompt.py (its prompt, definitions read from docs/taxonomy.md), llm_providers.py
                       (the one seam to the provider's SDK), llm_fallback.py (the model chain),
                       llm_breaker.py (the circuit breaker), llm_pool.py (LLM worker threads)
    model/             embedders.py (the encoders), estimator.py (the regression), store.py (a model directory)
    formats/           what requests carry: reader.py and writer.py (CSV), json_intake.py (JSON bodies),
                       feed.py (shippers' records)
    receivers/         syslog.py (messages, framing), syslog_server.py (its listeners), otlp.py (OTLP logs)
    patterns/          the pattern store: schema.py (tables), database.py (engines, migrations at start),
                       recorder.py (the writer), store.py (queries), corrections.py (people's labels),
                       timestamps.py (a line's own time)
    patterns/migrations/   env.py (Alembic's environment); versions/ holds one file per schema change
    api/               the HTTP API: app.py (assembly), dependencies.py, middleware.py, metrics.py,
                       errors.py (exceptions → statuses), body_decoders.py (gzip/deflate bodies, size-capped),
                       json_route.py (JSON bodies through json_intake),
                       recording.py (what every feed does with its rows), schemas.py, pattern_schemas.py,
                       correction_schemas.py, docs.py (/docs), web.py (the page; static/ its files)
    spark/             the Spark batch job: __main__.py (python -m / spark-submit), cli.py, job.py (the driver),
                       worker.py (executors), plan.py (columns shared by both), driver_llm.py (--llm),
                       pattern_counts.py (--pattern-store), file_formats.py, hadoop_files.py, session.py,
                       failures.py (a failed job as one line)
    api/routes/        classify.py, ingest.py, otlp.py, patterns.py, corrections.py, service.py
"""
