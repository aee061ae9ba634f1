// Command gspark is the command line of the gspark engine: the demo job over
// the built-in sample data, and (as they arrive) the SQL shell and batch jobs.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := newRoot().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "gspark:", err)
		os.Exit(1)
	}
}

type globalFlags struct {
	partitions  int
	memoryLimit string
}

func newRoot() *cobra.Command {
	var g globalFlags
	root := &cobra.Command{
		Use:           "gspark",
		Short:         "gspark is a Spark-like compute engine for one machine",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().IntVar(&g.partitions, "partitions", 0, "partitions queries run with (default: number of CPUs)")
	root.PersistentFlags().StringVar(&g.memoryLimit, "memory-limit", "", "memory limit per query, e.g. 512MB or 2GiB (default: none)")
	root.AddCommand(newDemo(&g))
	root.AddCommand(newSQL(&g))
	return root
}
