package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/registry"
)

// modelsDirEnv names the environment variable that overrides the default
// model registry directory.
const modelsDirEnv = "GSPARK_MODELS_DIR"

// defaultModelsDir is the model registry of commands not given one:
// $GSPARK_MODELS_DIR, else ./models.
func defaultModelsDir() string {
	if d := os.Getenv(modelsDirEnv); d != "" {
		return d
	}
	return "models"
}

// newModels is the models command: reading the model registry and moving
// a model's latest pointer.
func newModels() *cobra.Command {
	var root string
	cmd := &cobra.Command{
		Use:   "models",
		Short: "List, show and promote registered model versions",
		Long: "Read the model registry: each registered model is a directory ROOT/NAME of\n" +
			"versions v1, v2, … (saved models) and a pointer, latest, to the version in use\n" +
			"(what `gspark serve ROOT/NAME` loads). Job files register versions with a save\n" +
			"step's register: NAME. The registry is --root, else $" + modelsDirEnv + ", else ./models.",
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&root, "root", "", "model registry directory (default: $"+modelsDirEnv+", else models)")
	dir := func() (string, error) {
		if root == "" {
			root = defaultModelsDir()
		}
		if _, err := os.Stat(root); errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("model registry %s does not exist (set it with --root or %s)", root, modelsDirEnv)
		}
		return root, nil
	}
	list := &cobra.Command{
		Use:   "list [NAME]",
		Short: "List registered models, or the versions of one",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := dir()
			if err != nil {
				return err
			}
			if len(args) == 1 {
				return listVersions(cmd.OutOrStdout(), r, args[0])
			}
			return listModels(cmd.OutOrStdout(), r)
		},
	}
	show := &cobra.Command{
		Use:   "show NAME[/vN]",
		Short: "Show a version (default: the latest) with its tags, metrics and signature",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := dir()
			if err != nil {
				return err
			}
			name, ver, hasVer := strings.Cut(args[0], "/")
			var v registry.Version
			if hasVer {
				n, err := registry.ParseVersion(ver)
				if err != nil {
					return err
				}
				v, err = registry.Get(r, name, n)
				if err != nil {
					return err
				}
			} else if v, err = registry.Latest(r, name); err != nil {
				return err
			}
			return showVersion(cmd.OutOrStdout(), r, v)
		},
	}
	promote := &cobra.Command{
		Use:   "promote NAME vN",
		Short: "Point NAME's latest at version N (promote, or roll back)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := dir()
			if err != nil {
				return err
			}
			n, err := registry.ParseVersion(args[1])
			if err != nil {
				return err
			}
			was, err := registry.Latest(r, args[0])
			if err != nil {
				return err
			}
			v, err := registry.SetLatest(r, args[0], n)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s: latest is v%d (was v%d)\n", v.Name, v.Number, was.Number)
			return err
		},
	}
	cmd.AddCommand(list, show, promote)
	return cmd
}

func listModels(w io.Writer, root string) error {
	names, err := registry.Names(root)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		_, err := fmt.Fprintf(w, "no models registered in %s\n", root)
		return err
	}
	t := newTable()
	t.AppendHeader(table.Row{"name", "latest", "versions", "created (UTC)"})
	for _, name := range names {
		vs, err := registry.List(root, name)
		if err != nil {
			return err
		}
		l, err := registry.Latest(root, name)
		if err != nil {
			return err
		}
		t.AppendRow(table.Row{name, fmt.Sprintf("v%d", l.Number), len(vs), formatTime(l.Created)})
	}
	return render(w, t)
}

func listVersions(w io.Writer, root, name string) error {
	vs, err := registry.List(root, name)
	if err != nil {
		return err
	}
	l, err := registry.Latest(root, name)
	if err != nil {
		return err
	}
	t := newTable()
	t.AppendHeader(table.Row{"version", "latest", "created (UTC)", "tags", "metrics"})
	for _, v := range vs {
		mark := ""
		if v.Number == l.Number {
			mark = "*"
		}
		t.AppendRow(table.Row{fmt.Sprintf("v%d", v.Number), mark, formatTime(v.Created), pairs(v.Tags, func(s string) string { return s }), pairs(v.Metrics, formatMetric)})
	}
	return render(w, t)
}

// pairs formats m as "k=v, k=v" in key order.
func pairs[V any](m map[string]V, format func(V) string) string {
	parts := make([]string, 0, len(m))
	for _, k := range orderedKeys(m) {
		parts = append(parts, k+"="+format(m[k]))
	}
	return strings.Join(parts, ", ")
}

func showVersion(w io.Writer, root string, v registry.Version) error {
	l, err := registry.Latest(root, v.Name)
	if err != nil {
		return err
	}
	md, err := ml.ReadMetadata(v.Dir)
	if err != nil {
		return err
	}
	latest := "no (latest is v" + fmt.Sprint(l.Number) + ")"
	if l.Number == v.Number {
		latest = "yes"
	}
	info := newTable()
	info.AppendRows([]table.Row{
		{"model", v.Name}, {"version", fmt.Sprintf("v%d", v.Number)}, {"latest", latest},
		{"created (UTC)", formatTime(v.Created)}, {"class", md.Class}, {"directory", v.Dir},
	})
	if err := render(w, info); err != nil {
		return err
	}
	if len(v.Tags) > 0 {
		t := newTable()
		t.AppendHeader(table.Row{"tag", "value"})
		for _, k := range orderedKeys(v.Tags) {
			t.AppendRow(table.Row{k, v.Tags[k]})
		}
		if err := render(w, t); err != nil {
			return err
		}
	}
	if len(v.Metrics) > 0 {
		t := newTable()
		t.AppendHeader(table.Row{"metric", "value"})
		for _, k := range orderedKeys(v.Metrics) {
			t.AppendRow(table.Row{k, formatMetric(v.Metrics[k])})
		}
		if err := render(w, t); err != nil {
			return err
		}
	}
	if md.Signature == nil {
		_, err := fmt.Fprintln(w, "signature: none recorded")
		return err
	}
	t := newTable()
	t.AppendHeader(table.Row{"signature", "column", "type"})
	for _, c := range md.Signature.Inputs {
		t.AppendRow(table.Row{"input", c.Name, c.Type})
	}
	for _, c := range md.Signature.Outputs {
		t.AppendRow(table.Row{"output", c.Name, c.Type})
	}
	return render(w, t)
}
