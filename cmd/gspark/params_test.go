package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestSQLParams(t *testing.T) {
	run := func(args ...string) (string, error) {
		cmd := newSQL(&globalFlags{partitions: 2})
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		var o, e bytes.Buffer
		cmd.SetOut(&o)
		cmd.SetErr(&e)
		cmd.SetArgs(args)
		err := cmd.ExecuteContext(context.Background())
		return o.String(), err
	}
	out, err := run("--param", "t=region", "--param", "n=2", "--format", "csv",
		"-e", "SELECT count(*) + ${n} AS c FROM ${t}; SELECT '$${t}' AS s")
	if err != nil {
		t.Fatal(err)
	}
	// region has 5 rows; $${t} is the text ${t}.
	if want := "c\r\n7\r\ns\r\n${t}\r\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	for args, want := range map[string]string{
		"--param|a=1|-e|SELECT 1;\nSELECT ${b}": "line 2, column 8: unknown parameter ${b}: give it with --param b=value (known: a)",
		"-e|SELECT ${x}":                        "unknown parameter ${x}",
		"--param|novalue|-e|SELECT 1":           `--param "novalue": want name=value`,
		"--param|a=1|-e|SELECT ${a":             "unclosed ${",
	} {
		_, err := run(strings.Split(args, "|")...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error containing %q", args, err, want)
		}
	}
}
