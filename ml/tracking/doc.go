// Package tracking records training runs (params, metrics, tags and
// artifacts) in the directory layout of MLflow's FileStore, so that MLflow's
// own UI and clients (mlflow ui --backend-store-uri DIR) read gspark's runs
// and gspark reads theirs.
//
// The layout, as MLflow's mlflow/store/tracking/file_store.py writes it
// (mlflow/mlflow at commit 001cc178a1442b488da41853c497adc5285a284d):
//
//	DIR/.trash/                        deleted experiments (created, never used here)
//	DIR/<experiment id>/meta.yaml      artifact_location, creation_time, experiment_id,
//	                                   last_update_time, lifecycle_stage, name
//	DIR/<experiment id>/<run id>/meta.yaml
//	                                   artifact_uri, deleted_time, end_time, entry_point_name,
//	                                   experiment_id, lifecycle_stage, run_id, run_name,
//	                                   run_uuid, source_name, source_type, source_version,
//	                                   start_time, status, tags, user_id
//	.../<run id>/params/<key>          the value, no trailing newline
//	.../<run id>/metrics/<key>         one "timestamp value step" line per logged value
//	.../<run id>/tags/<key>            the value, no trailing newline
//	.../<run id>/artifacts/            files logged with the run
//
// A `gspark run` job run also logs artifacts/evaluation/<step>.json
// (EvaluationArtifact), artifacts/model/<step>.json (ModelArtifact) and
// artifacts/report.html (WriteReport's page, which draws the JSON ones).
//
// meta.yaml files are block-style YAML with sorted keys; experiment ids are
// strings (experiment "0" is "Default", others are 18-digit random
// integers), run ids are 32 lowercase hex digits (a uuid4 without dashes),
// times are milliseconds since the Unix epoch and status is MLflow's
// RunStatus number (RUNNING=1, SCHEDULED=2, FINISHED=3, FAILED=4,
// KILLED=5). Keys (param, metric and tag names) may contain only
// alphanumerics, underscores, dashes, periods, spaces and slashes, and
// must not resolve to another path ("a//b", "../x", "/x", ".").
//
// Files a reader could see half written (meta.yaml, params, tags,
// artifacts) are written to a temporary file and renamed into place;
// metric lines are appended with one write each.
package tracking
