package tuning

import (
	"testing"

	"github.com/gspark/gspark/ml/evaluation"
)

// Every evaluator class NewEvaluator knows maps back to its name, so that a
// saved validator records it, and its params survive the JSON a saved
// validator keeps (the multilabel and ranking evaluators included).
func TestEvaluatorClassesRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	for _, class := range EvaluatorClasses() {
		e, err := NewEvaluator(class)
		if err != nil {
			t.Fatal(err)
		}
		got, err := evaluatorClass(e)
		if err != nil || got != class {
			t.Errorf("%s: class %q (%v)", class, got, err)
		}
		seen[class] = true
	}
	for _, c := range []string{"MultilabelClassificationEvaluator", "RankingEvaluator"} {
		if !seen[c] {
			t.Errorf("EvaluatorClasses lacks %s", c)
		}
	}
	e := evaluation.NewRankingEvaluator().SetMetricName("ndcgAtK").SetK(5)
	js, err := e.Params().ParamMapJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, _ := NewEvaluator("RankingEvaluator")
	if err := back.Params().SetJSON(js); err != nil {
		t.Fatal(err)
	}
	if v, _ := back.Params().Get("k"); v != 5 {
		t.Errorf("k after the JSON round trip: %v", v)
	}
	if v, _ := back.Params().Get("metricName"); v != "ndcgAtK" {
		t.Errorf("metricName after the JSON round trip: %v", v)
	}
}
