// Command gspark is the command line of the gspark engine: an interactive SQL
// shell, non-interactive SQL scripts (gspark sql), pipeline job files
// (gspark run) and the demo job over the built-in sample data.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gspark/gspark/exec"
)

func main() {
	root, g := newRootFlags()
	// SIGTERM and SIGHUP stop every command, the interactive shell included
	// (where Ctrl-C only cancels the running query).
	ctx, stop := onSignals(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	err := root.ExecuteContext(ctx)
	stop()
	if perr := g.stopProfile(); perr != nil {
		fmt.Fprintln(os.Stderr, "gspark: "+perr.Error())
	}
	if err != nil {
		// A command that finished its work on a signal (gspark serve's
		// graceful shutdown) returns nil and exits 0; one the signal cut
		// short exits with the signal's status.
		if s, ok := errors.AsType[signalled](context.Cause(ctx)); ok {
			err = s
		}
		if s, ok := errors.AsType[signalled](err); ok {
			fmt.Fprintln(os.Stderr, "gspark: "+s.Error())
			os.Exit(s.exitCode())
		}
		if code, ok := errors.AsType[exitCode](err); ok {
			os.Exit(int(code))
		}
		debug, _ := root.PersistentFlags().GetBool("debug")
		reportError(os.Stderr, "gspark: ", err, debug)
		os.Exit(1)
	}
}

type globalFlags struct {
	partitions  int
	memoryLimit string
	conf        []string // --conf key=value settings
	debug       bool
	params      []string // --param name=value: ${name} in SQL text
	cpuProfile  string   // --cpuprofile: write a CPU profile of the whole command here
	profile     *os.File // the open CPU profile, until stopProfile
	memProfile  string   // --memprofile: write a heap profile at the largest heap here
	memProf     *memProfiler
}

// newRoot returns the gspark command.
func newRoot() *cobra.Command {
	root, _ := newRootFlags()
	return root
}

// newRootFlags returns the gspark command and its global flags.
func newRootFlags() (*cobra.Command, *globalFlags) {
	g := new(globalFlags)
	var format, remote string
	root := &cobra.Command{
		Use:   "gspark",
		Short: "gspark is a Spark-like compute engine for one machine",
		Long: "gspark is a Spark-like compute engine for one machine.\n\n" +
			"Without a command it opens the interactive SQL shell; with its standard input\n" +
			"not a terminal it runs the ;-separated statements read from it instead.",
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := formatter(format)
			if err != nil {
				return err
			}
			if remote != "" {
				return runRemoteShell(cmd.Context(), g, remote, f, os.Stdin, cmd.OutOrStdout(), cmd.ErrOrStderr(), g.debug)
			}
			s, err := g.sqlSession()
			if err != nil {
				return err
			}
			return runShell(cmd.Context(), s, nil, f, os.Stdin, cmd.OutOrStdout(), cmd.ErrOrStderr(), g.debug)
		},
	}
	root.PersistentFlags().IntVar(&g.partitions, "partitions", 0, "partitions queries run with (default: number of CPUs)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if cmd.Flags().Changed("partitions") && g.partitions < 1 {
			return fmt.Errorf("--partitions %d: want a number of partitions of 1 or more", g.partitions)
		}
		return g.startProfile()
	}
	root.PersistentFlags().StringVar(&g.cpuProfile, "cpuprofile", "", "write a CPU profile of the command to this file (for go tool pprof, or as cmd/gspark/default.pgo)")
	root.PersistentFlags().StringVar(&g.memProfile, "memprofile", "", "write a heap profile taken at the command's largest heap to this file (for go tool pprof -sample_index=inuse_space)")
	root.PersistentFlags().StringVar(&g.memoryLimit, "memory-limit", "", "memory limit per query, e.g. 512MB or 2GiB (default: none)")
	root.PersistentFlags().StringArrayVar(&g.conf, "conf", nil, "key=value session setting, as SQL's SET (repeatable), e.g. spark.sql.session.timeZone=America/Los_Angeles")
	root.PersistentFlags().BoolVar(&g.debug, "debug", false, "print the stack of internal errors (panics inside the engine) to stderr")
	root.Flags().StringVar(&format, "format", "table", "output format of statements piped to standard input: table, csv or json")
	root.Flags().StringVar(&remote, "remote", "", "sc://host:port: run the shell's statements on this Spark Connect endpoint")
	root.Flags().StringArrayVar(&g.params, "param", nil, "name=value: SQL text reads ${name} as value (repeatable)")
	root.AddCommand(newDemo(g))
	root.AddCommand(newSQL(g))
	root.AddCommand(newRuns())
	root.AddCommand(newRun(g))
	root.AddCommand(newModels())
	root.AddCommand(newMonitor(g))
	root.AddCommand(newServe())
	root.AddCommand(newConnectServer(g))
	return root, g
}

// startProfile starts the CPU profile of --cpuprofile and the heap profile
// of --memprofile, if given.
func (g *globalFlags) startProfile() error {
	if g.memProfile != "" && g.memProf == nil {
		p, err := startMemProfiler(g.memProfile, 100*time.Millisecond)
		if err != nil {
			return err
		}
		g.memProf = p
	}
	if g.cpuProfile == "" || g.profile != nil {
		return nil
	}
	f, err := os.Create(g.cpuProfile)
	if err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--cpuprofile %s: %w", g.cpuProfile, err)
	}
	g.profile = f
	return nil
}

// stopProfile stops and writes the profiles started by startProfile.
func (g *globalFlags) stopProfile() error {
	if g.memProf != nil {
		err := g.memProf.Stop()
		g.memProf = nil
		if err != nil {
			return err
		}
	}
	if g.profile == nil {
		return nil
	}
	pprof.StopCPUProfile()
	err := g.profile.Close()
	g.profile = nil
	if err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	return nil
}

// reportError prints err after prefix. An internal error (a panic inside the
// engine or in a user function, which failed only its query) gets a hint,
// and with debug the stack of the panic.
func reportError(w io.Writer, prefix string, err error, debug bool) {
	fmt.Fprintln(w, prefix+err.Error())
	var ie *exec.InternalError
	if !errors.As(err, &ie) {
		return
	}
	if !debug {
		fmt.Fprintln(w, "This is a bug in gspark or in a user function; the query was cancelled. Run with --debug to print the stack.")
		return
	}
	fmt.Fprintf(w, "panic: %v\n\n%s", ie.Value, ie.Stack)
}
