package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/all"
	"github.com/gspark/gspark/ml/monitor"
	"github.com/gspark/gspark/ml/registry"
)

// exitCode is an error that only sets the command's exit status (the
// command has already said why).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// driftExit is gspark monitor's exit status when a column drifted.
const driftExit exitCode = 3

// newMonitor is `gspark monitor --model DIR (--data PATH | --sql QUERY)`:
// it scores new data with a saved model and compares it with the model's
// training profile.
func newMonitor(g *globalFlags) *cobra.Command {
	var modelDir, dataPath, query, jsonOut, format string
	th := monitor.DefaultThresholds()
	cmd := &cobra.Command{
		Use:   "monitor --model MODEL_DIR (--data PATH | --sql QUERY)",
		Short: "Compare new data with a model's training data (drift)",
		Long: "Score new data with a saved model and compare it, column by column, with the\n" +
			"training profile saved with the model (profile.json, written by a job file's\n" +
			"save step): the population stability index (PSI) of each input, output\n" +
			"(prediction) and label column, the two-sample Kolmogorov–Smirnov test of numeric\n" +
			"columns, the share of new categories of string columns and the change of the\n" +
			"null rate. --data reads a Parquet, CSV (with a header) or JSON lines file or\n" +
			"directory; --sql runs any query. Prints a table (or JSON with --format json),\n" +
			"writes the JSON report to --json FILE (- for standard output), and exits with\n" +
			"status 3 when any column drifted, 0 when none did, 1 on errors.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "table" && format != "json" {
				return fmt.Errorf("--format %q: want table or json", format)
			}
			if dir, v, err := registry.Resolve(modelDir); err == nil && !v.IsZero() {
				modelDir = dir // a registered model: its latest version
			}
			prof, err := monitor.ReadProfile(modelDir)
			if errors.Is(err, fs.ErrNotExist) {
				if _, serr := os.Stat(modelDir); serr != nil {
					return fmt.Errorf("--model: %w", serr)
				}
				return fmt.Errorf("model %s has no training profile (%s): save the model with a job file's fit and save steps, which write one", modelDir, monitor.ProfileFile)
			}
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd.Context())
			defer stop()
			st, err := all.Load(ctx, modelDir)
			if err != nil {
				return fmt.Errorf("loading model %s: %w", modelDir, err)
			}
			model, ok := st.(ml.Transformer)
			if !ok {
				return fmt.Errorf("%s is a %s, not a fitted model", modelDir, st.ClassName())
			}
			s, err := g.session()
			if err != nil {
				return err
			}
			var df *frame.DataFrame
			if dataPath != "" {
				if df, err = readData(s, dataPath); err != nil {
					return err
				}
			} else {
				df = s.SQL(query)
			}
			if err := df.Err(); err != nil {
				return err
			}
			what := "--data " + dataPath
			if dataPath == "" {
				what = "--sql"
			}
			if sig, ok := ml.InferSignature(model); ok {
				if err := ml.CheckSignature(sig, df.Schema()); err != nil {
					return fmt.Errorf("%s: %w", what, err)
				}
			}
			scored, err := model.Transform(df)
			if err != nil {
				return fmt.Errorf("%s: scoring: %w", what, err)
			}
			rep, err := monitor.Compare(ctx, prof, scored, th)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			js, err := rep.JSON()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			switch {
			case jsonOut == "-" || format == "json":
				_, err = out.Write(js)
			default:
				_, err = fmt.Fprint(out, rep.Table())
			}
			if err != nil {
				return err
			}
			if jsonOut != "" && jsonOut != "-" {
				if err := os.WriteFile(jsonOut, js, 0o644); err != nil {
					return fmt.Errorf("--json: %w", err)
				}
			}
			if rep.Drifted {
				return driftExit
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&modelDir, "model", "", "saved model directory (with its profile.json)")
	f.StringVar(&dataPath, "data", "", "new data: a .parquet, .csv or .json file, or a directory of them")
	f.StringVar(&query, "sql", "", "new data: a SQL query")
	f.Float64Var(&th.PSI, "psi", th.PSI, "drift when a column's PSI is above this")
	f.Float64Var(&th.KSPValue, "ks-pvalue", th.KSPValue, "drift when the KS p-value is below this (and D above --ks)")
	f.Float64Var(&th.KSD, "ks", th.KSD, "drift when the KS statistic D is above this (and the p-value below --ks-pvalue)")
	f.Float64Var(&th.NullRate, "null-rate", th.NullRate, "drift when the share of nulls changed by more than this")
	f.Float64Var(&th.NewCategory, "new-category", th.NewCategory, "drift when a larger share of values are categories unseen in training")
	f.Int64Var(&th.PSIMinValues, "psi-min-values", th.PSIMinValues, "judge the PSI only over at least this many values of a column (below, it is noise)")
	f.StringVar(&jsonOut, "json", "", "write the JSON report to FILE (- for standard output)")
	f.StringVar(&format, "format", "table", "output: table or json")
	_ = cmd.MarkFlagRequired("model")
	cmd.MarkFlagsOneRequired("data", "sql")
	cmd.MarkFlagsMutuallyExclusive("data", "sql")
	return cmd
}

// readData reads the file or directory at path in the format its
// extension (or its files' extension) names: CSV with a header and
// inferred types.
func readData(s *frame.Session, path string) (*frame.DataFrame, error) {
	format, err := dataFormat(path)
	if err != nil {
		return nil, fmt.Errorf("--data: %w", err)
	}
	r := s.Read().Format(format)
	if format == "csv" {
		r = r.Option("header", "true").Option("inferSchema", "true")
	}
	df := r.Load(path)
	if err := df.Err(); err != nil {
		return nil, fmt.Errorf("--data %s: %w", path, err)
	}
	return df, nil
}

// dataFormat is parquet, csv or json by path's extension or, for a
// directory, by the first data file in it.
func dataFormat(path string) (string, error) {
	byExt := func(name string) string {
		switch strings.ToLower(filepath.Ext(name)) {
		case ".parquet":
			return "parquet"
		case ".csv":
			return "csv"
		case ".json":
			return "json"
		}
		return ""
	}
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !info.IsDir() {
		if f := byExt(path); f != "" {
			return f, nil
		}
		return "", fmt.Errorf("%s: cannot tell its format from the extension (want .parquet, .csv or .json)", path)
	}
	found := ""
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		if p != path && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			if found = byExt(base); found != "" {
				return fs.SkipAll
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if found == "" {
		return "", fmt.Errorf("%s: no .parquet, .csv or .json files in the directory", path)
	}
	return found, nil
}
