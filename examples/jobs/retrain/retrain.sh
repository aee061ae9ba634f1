#!/bin/sh
# The retraining loop, one turn: check new data for drift against the
# training profile of the model's latest registered version and, when it
# has drifted, retrain and register a new version.
#
#   retrain.sh NEW_DATA [TRAIN_DATA]
#
# NEW_DATA is checked with `gspark monitor`, which exits 3 on drift. On
# drift the model is retrained on TRAIN_DATA (default: NEW_DATA; it must be
# labelled) with train.yaml, which registers the next version and moves
# latest to it: a `gspark serve models/NAME` already running picks it up.
#
# Environment: MODEL (default cancer), GSPARK_MODELS_DIR (default models),
# GSPARK (the gspark command, default gspark).
# Exit status: 0 no drift or retrained, otherwise the failing command's.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: retrain.sh NEW_DATA [TRAIN_DATA]" >&2
	exit 2
fi
new=$1
train=${2:-$1}
model=${MODEL:-cancer}
models=${GSPARK_MODELS_DIR:-models}
gspark=${GSPARK:-gspark}
here=$(cd "$(dirname "$0")" && pwd)

status=0
"$gspark" monitor --model "$models/$model" --data "$new" || status=$?
case $status in
0)
	echo "retrain.sh: no drift in $new; $model stays at its latest version"
	;;
3)
	echo "retrain.sh: $new has drifted; retraining $model on $train"
	"$gspark" run "$here/train.yaml" --models-dir "$models" --param "data=$train" --param "model=$model"
	;;
*)
	echo "retrain.sh: gspark monitor failed (exit $status)" >&2
	exit "$status"
	;;
esac
