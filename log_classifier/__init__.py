"""Log classification service: sorts log lines into nine functional categories.

Map (see README "Where do I change X"):

    config.py        every setting (env / .env)          taxonomy.py   the category names
    contract.py      LogRecord, Prediction, Processor    errors.py     exception hierarchy
    cascade.py       the cascade and its loading         cache.py      the result cache
    cancellation.py  stopping work for clients that left
    stages/          regex, embedding, llm, feedback     text/         masking, redaction
    stages/llm*      the LLM stage: llm, llm_prompt, llm_providers, llm_fallback, llm_breaker, llm_pool
    model/           encoders, estimator, model dir      tables/       CSV reading and writing
    api/             FastAPI app, routes, middleware     cli.py        `python classifier.py`
    patterns/        the pattern store, corrections      alerts.py     alert webhooks
    spark/           the Spark batch job (python -m log_classifier.spark)
"""
