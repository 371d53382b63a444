package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// peakRSS is the peak resident set size of a process tree, from VmHWM.
type peakRSS struct {
	SumKiB, MaxKiB int64
	Procs          int
}

// treePeakRSS reads VmHWM of root and all its descendants still alive
// (Apache and nginx keep their workers for the whole run with the script's
// configuration). The sum counts shared pages once per process, so it is an
// upper bound of the tree's real peak; the largest single value is the lower.
func treePeakRSS(root int) (peakRSS, error) {
	children := map[int][]int{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(d))
		if ppid, err := parentPID(d); err == nil {
			children[ppid] = append(children[ppid], pid)
		}
	}
	var p peakRSS
	queue := []int{root}
	for len(queue) > 0 {
		pid := queue[0]
		queue = append(queue[1:], children[pid]...)
		kib, err := vmHWM(pid)
		if err != nil {
			if pid == root {
				return p, fmt.Errorf("server process %d: %w", root, err)
			}
			continue // a worker that just exited
		}
		p.SumKiB += kib
		p.MaxKiB = max(p.MaxKiB, kib)
		p.Procs++
	}
	return p, nil
}

// parentPID reads the PPID field of /proc/PID/stat (after the "(comm)").
func parentPID(procDir string) (int, error) {
	data, err := os.ReadFile(procDir + "/stat")
	if err != nil {
		return 0, err
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 2 {
		return 0, fmt.Errorf("short stat")
	}
	return strconv.Atoi(f[1])
}

// vmHWM returns the VmHWM line of /proc/PID/status, in KiB.
func vmHWM(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status (process gone?)", pid)
}
