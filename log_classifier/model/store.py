"""A model directory on disk: the logistic regression, its metadata, and mined rules.

    MODEL_DIR/
      classifier.joblib   model.estimator.EmbeddingTextClassifier (logistic regression over embedding + words)
      fast_classifier.joblib  optional: the same kind of classifier over static vectors (the fast path,
                          stages/embedding.py); metadata's `fast_path` holds its encoder and threshold
      metadata.json       labels, encoder, threshold (and per label), library versions, data hash, metrics
      regex_rules.yaml    optional: rules mined for this model (python -m training.mine_rules)

Loading checks the metadata against this service and fails with a message naming the problem.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import joblib
import sklearn
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from log_classifier.errors import ConfigurationError, ModelMismatchError
from log_classifier.taxonomy import CATEGORIES

log = logging.getLogger(__name__)

CLASSIFIER_FILE = "classifier.joblib"
FAST_CLASSIFIER_FILE = "fast_classifier.joblib"
METADATA_FILE = "metadata.json"
RULES_FILE = "regex_rules.yaml"
FORMAT_VERSION = 1
"""The layout of a model directory this code writes and reads (`metadata.json`'s "format")."""


class EncoderMetadata(BaseModel):
    """The encoder a model was trained on."""

    model_config = ConfigDict(extra="allow")

    name: str
    dimension: int | None = Field(None, gt=0)


class FastPathMetadata(BaseModel):
    """The fast path a model was trained with: static vectors, and the confidence it needs."""

    model_config = ConfigDict(extra="allow")

    encoder: EncoderMetadata
    threshold: float = Field(ge=0.0, le=1.0)


class ModelMetadata(BaseModel):
    """What loading relies on in `metadata.json`; the other keys (metrics, data, ...) are kept as they are."""

    model_config = ConfigDict(extra="allow")

    format: int
    labels: list[str] = Field(min_length=1)
    encoder: EncoderMetadata
    threshold: float = Field(ge=0.0, le=1.0)
    thresholds_by_label: dict[str, Annotated[float, Field(ge=0.0, le=1.0)]] = Field(default_factory=dict)
    versions: dict[str, str]
    model_version: str = "unknown"
    fast_path: FastPathMetadata | None = None


@dataclass(frozen=True)
class StoredModel:
    """A loaded, checked model directory."""

    directory: Path
    classifier: Any
    metadata: dict[str, Any]

    @property
    def labels(self) -> list[str]:
        return list(self.metadata["labels"])

    @property
    def threshold(self) -> float:
        return float(self.metadata["threshold"])

    @property
    def thresholds_by_label(self) -> dict[str, float]:
        """Per-label thresholds chosen at training (empty for models that have none)."""
        return {str(label): float(value) for label, value in (self.metadata.get("thresholds_by_label") or {}).items()}

    @property
    def version(self) -> str:
        return str(self.metadata.get("model_version", "unknown"))

    @property
    def rules_path(self) -> Path:
        return self.directory / RULES_FILE


@dataclass(frozen=True)
class FastPath:
    """A model's fast path, loaded: the classifier over static vectors and the confidence it needs."""

    classifier: Any
    threshold: float
    encoder: str


def load_fast_path(stored: StoredModel, *, encoder: str, dimension: int) -> FastPath | None:
    """The fast path `stored` was trained with, checked against the static `encoder`; None if it has none."""
    section = stored.metadata.get("fast_path")
    if not section:
        return None
    where = f"MODEL_DIR={stored.directory}"
    if section["encoder"]["name"] != encoder:
        raise ModelMismatchError(
            f"{where}: the fast path was trained on {section['encoder']['name']!r} vectors, STATIC_MODEL_DIR holds "
            f"{encoder!r}; retrain, point STATIC_MODEL_DIR at the right model, or set EMBEDDING_FAST_PATH=false"
        )
    path = stored.directory / FAST_CLASSIFIER_FILE
    try:
        classifier = joblib.load(path)
    except Exception as exc:  # joblib raises many kinds for a missing or corrupt file
        raise ConfigurationError(f"{where}: {FAST_CLASSIFIER_FILE} is unreadable: {exc}") from exc
    classes = [str(label) for label in getattr(classifier, "classes_", [])]
    if classes != stored.labels:
        raise ModelMismatchError(f"{where}: {FAST_CLASSIFIER_FILE} classes {classes} differ from labels {stored.labels}")
    if int(getattr(classifier, "embedding_dimension_", -1)) != dimension:
        raise ModelMismatchError(
            f"{where}: {FAST_CLASSIFIER_FILE} expects {getattr(classifier, 'embedding_dimension_', '?')}-dimensional "
            f"vectors, {encoder} gives {dimension}"
        )
    return FastPath(classifier, float(section["threshold"]), encoder)


def load_model(directory: Path, *, encoder: str, dimension: int) -> StoredModel:
    """Load `directory` and check it was built for `encoder` with `dimension`-sized vectors."""
    metadata_path = directory / METADATA_FILE
    classifier_path = directory / CLASSIFIER_FILE
    for path in (metadata_path, classifier_path):
        if not path.is_file():
            raise ConfigurationError(f"MODEL_DIR={directory}: {path.name} is missing (run `make train`)")
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"MODEL_DIR={directory}: {METADATA_FILE} is unreadable: {exc}") from exc
    _check_metadata(directory, _validated(directory, metadata), encoder)
    try:
        classifier = joblib.load(classifier_path)
    except Exception as exc:  # joblib raises many kinds for a corrupt file
        raise ConfigurationError(f"MODEL_DIR={directory}: {CLASSIFIER_FILE} is unreadable: {exc}") from exc
    classes = [str(label) for label in getattr(classifier, "classes_", [])]
    if classes != list(metadata["labels"]):
        raise ModelMismatchError(
            f"MODEL_DIR={directory}: classifier classes {classes} differ from metadata labels {metadata['labels']}"
        )
    n_features = int(getattr(classifier, "embedding_dimension_", -1))
    if n_features != dimension:
        raise ModelMismatchError(
            f"MODEL_DIR={directory}: classifier expects {n_features}-dimensional embeddings, "
            f"encoder {encoder} gives {dimension}"
        )
    log.info("loaded model %s from %s (labels: %s)", metadata.get("model_version"), directory, len(classes))
    return StoredModel(directory, classifier, metadata)


def _validated(directory: Path, metadata: object) -> ModelMetadata:
    """`metadata` checked against the schema; a ConfigurationError naming each bad field otherwise."""
    where = f"MODEL_DIR={directory}: {METADATA_FILE}"
    try:
        checked = ModelMetadata.model_validate(metadata)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'the file'}: {error['msg']}" for error in exc.errors()
        )
        raise ConfigurationError(f"{where} is malformed ({problems}); retrain or restore the file") from exc
    if checked.format != FORMAT_VERSION:
        raise ModelMismatchError(
            f"{where}: format {checked.format}, this service reads format {FORMAT_VERSION}; retrain with this version"
        )
    return checked


def _check_metadata(directory: Path, metadata: ModelMetadata, encoder: str) -> None:
    where = f"MODEL_DIR={directory}: {METADATA_FILE}"
    if metadata.encoder.name != encoder:
        raise ModelMismatchError(
            f"{where}: built with encoder {metadata.encoder.name!r}, but this service embeds with "
            f"{encoder!r}; retrain with this encoder or set EMBEDDING_MODEL"
        )
    unknown = [label for label in [*metadata.labels, *metadata.thresholds_by_label] if label not in CATEGORIES]
    if unknown:
        raise ModelMismatchError(f"{where}: labels {unknown} are not categories of this service")
    built_with = metadata.versions.get("scikit-learn", "")
    if _minor(built_with) != _minor(sklearn.__version__):
        raise ModelMismatchError(
            f"{where}: built with scikit-learn {built_with}, this service runs {sklearn.__version__}; retrain"
        )


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def write_model(directory: Path, classifier: Any, metadata: dict[str, Any], fast_classifier: Any = None) -> None:
    """Write the classifiers and metadata; files are written beside and renamed, so none is half-written
    (metadata last: it names what the directory holds). Without `fast_classifier`, an old one is removed."""
    directory.mkdir(parents=True, exist_ok=True)
    tmp_classifier = directory / (CLASSIFIER_FILE + ".tmp")
    tmp_fast = directory / (FAST_CLASSIFIER_FILE + ".tmp")
    tmp_metadata = directory / (METADATA_FILE + ".tmp")
    try:
        joblib.dump(classifier, tmp_classifier)
        if fast_classifier is not None:
            joblib.dump(fast_classifier, tmp_fast)
        tmp_metadata.write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        tmp_classifier.replace(directory / CLASSIFIER_FILE)
        if fast_classifier is not None:
            tmp_fast.replace(directory / FAST_CLASSIFIER_FILE)
        else:
            (directory / FAST_CLASSIFIER_FILE).unlink(missing_ok=True)
        tmp_metadata.replace(directory / METADATA_FILE)
    finally:
        for leftover in (tmp_classifier, tmp_fast, tmp_metadata):
            leftover.unlink(missing_ok=True)
