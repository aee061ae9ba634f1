// Package proc tells whether a process is running, so that files named for
// a process (temporary dataset directories, spill files) can be recognised
// as debris once their owner is gone.
package proc
