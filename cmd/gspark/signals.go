package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// signalled is the cause of a command stopped by a signal; gspark then exits
// with 128 plus the signal's number, as shells expect (130 for Ctrl-C).
type signalled struct{ sig os.Signal }

func (s signalled) Error() string { return "stopped by " + s.sig.String() }

// exitCode is the process's exit status for the signal.
func (s signalled) exitCode() int {
	if n, ok := s.sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return 1
}

// stopSignals stop a command as a whole: Ctrl-C (SIGINT), kill's default
// (SIGTERM) and a closed terminal (SIGHUP).
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// onSignals returns ctx cancelled, with a signalled cause, when one of sigs
// arrives; stop undoes the handling.
func onSignals(ctx context.Context, sigs ...os.Signal) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			cancel(signalled{s})
		case <-done:
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
			cancel(nil)
		})
	}
}

// interruptible returns ctx cancelled by Ctrl-C, SIGTERM or SIGHUP, for
// commands that stop as a whole when interrupted; pass their error through
// signalCause.
func interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	return onSignals(ctx, stopSignals...)
}

// signalCause returns the signal that stopped ctx in place of err, when
// err is what the stop caused; otherwise err.
func signalCause(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil {
		return err
	}
	if s, ok := errors.AsType[signalled](context.Cause(ctx)); ok {
		return s
	}
	return err
}
