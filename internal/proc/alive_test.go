package proc

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"testing"
)

func TestAlive(t *testing.T) {
	if !Alive(os.Getpid()) {
		t.Error("this process is not alive")
	}
	if Alive(0) || Alive(-1) {
		t.Error("pid 0 or -1 alive")
	}
	if runtime.GOOS == "windows" {
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	if Alive(dead) {
		t.Errorf("exited process %d alive", dead)
	}
	for name, want := range map[string]bool{
		fmt.Sprintf("x-%d-abc", dead):         true,
		fmt.Sprintf("x-%d-abc", os.Getpid()):  false, // this process
		fmt.Sprintf("x-%d-abc", os.Getppid()): false, // a live one
		fmt.Sprintf("y-%d-abc", dead):         false, // another prefix
		fmt.Sprintf("x-%d", dead):             false, // no dash after the id
		"x-notapid-abc":                       false,
	} {
		if got := Stale(name, "x-"); got != want {
			t.Errorf("Stale(%q) = %v, want %v", name, got, want)
		}
	}
}
