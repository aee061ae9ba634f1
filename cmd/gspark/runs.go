package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/spf13/cobra"

	"github.com/gspark/gspark/ml/tracking"
)

// newRuns is the runs command: reading the runs ml/tracking recorded.
func newRuns() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List, show and compare recorded training runs (MLflow's file layout)",
		Long: "Read the runs recorded in a tracking directory (MLflow's FileStore layout, so\n" +
			"`mlflow ui --backend-store-uri DIR` shows the same runs).",
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&dir, "dir", "mlruns", "tracking directory")
	var experiment string
	list := &cobra.Command{
		Use:   "list",
		Short: "List runs, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := openRuns(dir)
			if err != nil {
				return err
			}
			return listRuns(cmd.OutOrStdout(), s, experiment)
		},
	}
	list.Flags().StringVar(&experiment, "experiment", "", "only the runs of this experiment (name or id)")
	show := &cobra.Command{
		Use:   "show RUN",
		Short: "Show a run's description, params, metrics and tags",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := openRuns(dir)
			if err != nil {
				return err
			}
			r, err := s.Run(args[0])
			if err != nil {
				return err
			}
			return showRun(cmd.OutOrStdout(), s, r)
		},
	}
	compare := &cobra.Command{
		Use:   "compare RUN RUN...",
		Short: "Show runs' params and latest metrics side by side, marking values that differ with *",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := openRuns(dir)
			if err != nil {
				return err
			}
			runs := make([]*tracking.RunRecord, len(args))
			for i, id := range args {
				if runs[i], err = s.Run(id); err != nil {
					return err
				}
			}
			return compareRuns(cmd.OutOrStdout(), runs)
		},
	}
	var output string
	report := &cobra.Command{
		Use:   "report RUN",
		Short: "Write a self-contained HTML report of a run, with charts of its metrics",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := openRuns(dir)
			if err != nil {
				return err
			}
			r, err := s.Run(args[0])
			if err != nil {
				return err
			}
			if output == "" || output == "-" {
				return tracking.WriteReport(cmd.OutOrStdout(), r)
			}
			return writeReportFile(output, r)
		},
	}
	report.Flags().StringVarP(&output, "output", "o", "", "file to write (default: standard output)")
	cmd.AddCommand(list, show, compare, report)
	return cmd
}

// writeReportFile writes run r's HTML report to path.
func writeReportFile(path string, r *tracking.RunRecord) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := tracking.WriteReport(f, r); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// openRuns opens an existing tracking directory (reading never creates one).
func openRuns(dir string) (*tracking.Store, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("tracking directory %s does not exist (set it with --dir)", dir)
	}
	return tracking.Open(dir)
}

func newTable() table.Writer {
	t := table.NewWriter()
	t.SetStyle(table.StyleDefault)
	t.Style().Format.Header = text.FormatDefault
	return t
}

func render(w io.Writer, t table.Writer) error {
	_, err := io.WriteString(w, t.Render()+"\n")
	return err
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

func runDuration(r *tracking.RunRecord) string {
	if r.EndTime.IsZero() {
		return "-"
	}
	return r.EndTime.Sub(r.StartTime).Round(time.Millisecond).String()
}

func formatMetric(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func experimentNames(s *tracking.Store) (map[string]string, error) {
	exps, err := s.Experiments()
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(exps))
	for _, e := range exps {
		names[e.ID] = e.Name
	}
	return names, nil
}

func listRuns(w io.Writer, s *tracking.Store, experiment string) error {
	runs, err := s.Runs(experiment)
	if err != nil {
		return err
	}
	names, err := experimentNames(s)
	if err != nil {
		return err
	}
	t := newTable()
	t.AppendHeader(table.Row{"run id", "experiment", "name", "status", "start (UTC)", "duration"})
	for _, r := range runs {
		t.AppendRow(table.Row{r.ID, names[r.ExperimentID], r.Name, r.Status, formatTime(r.StartTime), runDuration(r)})
	}
	return render(w, t)
}

func showRun(w io.Writer, s *tracking.Store, r *tracking.RunRecord) error {
	names, err := experimentNames(s)
	if err != nil {
		return err
	}
	info := newTable()
	info.AppendRows([]table.Row{
		{"run id", r.ID}, {"name", r.Name}, {"experiment", names[r.ExperimentID] + " (" + r.ExperimentID + ")"},
		{"status", r.Status}, {"user", r.UserID}, {"start (UTC)", formatTime(r.StartTime)},
		{"end (UTC)", formatTime(r.EndTime)}, {"duration", runDuration(r)}, {"artifacts", r.ArtifactURI},
	})
	if err := render(w, info); err != nil {
		return err
	}
	if len(r.Params) > 0 {
		t := newTable()
		t.AppendHeader(table.Row{"param", "value"})
		for _, k := range orderedKeys(r.Params) {
			t.AppendRow(table.Row{k, r.Params[k]})
		}
		if err := render(w, t); err != nil {
			return err
		}
	}
	if len(r.Metrics) > 0 {
		t := newTable()
		t.AppendHeader(table.Row{"metric", "latest", "step", "values"})
		t.SetColumnConfigs([]table.ColumnConfig{{Number: 2, Align: text.AlignRight}, {Number: 3, Align: text.AlignRight}, {Number: 4, Align: text.AlignRight}})
		for _, k := range r.MetricKeys() {
			m, _ := r.Latest(k)
			t.AppendRow(table.Row{k, formatMetric(m.Value), m.Step, len(r.Metrics[k])})
		}
		if err := render(w, t); err != nil {
			return err
		}
	}
	if len(r.Tags) > 0 {
		t := newTable()
		t.AppendHeader(table.Row{"tag", "value"})
		for _, k := range orderedKeys(r.Tags) {
			t.AppendRow(table.Row{k, r.Tags[k]})
		}
		return render(w, t)
	}
	return nil
}

// compareRuns prints one row per param and per metric (its latest value)
// with a column per run; a row whose values differ (or that a run lacks)
// is marked with * in the first column.
func compareRuns(w io.Writer, runs []*tracking.RunRecord) error {
	t := newTable()
	header := table.Row{"", "kind", "key"}
	for _, r := range runs {
		header = append(header, r.Name+" ("+r.ID[:8]+")")
	}
	t.AppendHeader(header)
	addRows := func(kind string, keys []string, value func(*tracking.RunRecord, string) (string, bool)) {
		for _, k := range keys {
			row := table.Row{"", kind, k}
			var first string
			differ := false
			for i, r := range runs {
				v, ok := value(r, k)
				if !ok {
					v, differ = "-", true
				}
				if i == 0 {
					first = v
				} else if v != first {
					differ = true
				}
				row = append(row, v)
			}
			if differ {
				row[0] = "*"
			}
			t.AppendRow(row)
		}
	}
	params := map[string]bool{}
	metrics := map[string]bool{}
	for _, r := range runs {
		for k := range r.Params {
			params[k] = true
		}
		for k := range r.Metrics {
			metrics[k] = true
		}
	}
	addRows("param", orderedKeys(params), func(r *tracking.RunRecord, k string) (string, bool) {
		v, ok := r.Params[k]
		return v, ok
	})
	addRows("metric", orderedKeys(metrics), func(r *tracking.RunRecord, k string) (string, bool) {
		m, ok := r.Latest(k)
		return formatMetric(m.Value), ok
	})
	return render(w, t)
}

// orderedKeys returns the keys of m, sorted.
func orderedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
