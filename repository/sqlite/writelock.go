package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ocular-lab/ocular/core/diskmode"
)

// writeLockWait bounds the wait for another process's write, as SQLite's
// busy timeout did before.
const writeLockWait = 10 * time.Second

// writeLock queues the writes of several processes on one repository
// (server instances, a CLI beside a server) in the kernel, so that a
// waiting writer starts the instant the one before it ends. Without it
// SQLite's busy handler makes a waiting process sleep in steps of up to
// 100 ms while the process holding the lock may take it again at once,
// and two busy servers starve each other's writes. Within a process the
// writer pool (one connection) already queues them; this lock is taken
// by whoever holds that connection, so by at most one goroutine at once,
// and the lock file lives beside the database (ocular.db-wlock).
type writeLock struct {
	once sync.Once
	// f is the lock proper; queue is where waiting processes show that
	// they wait (nil: no lock, in a read-only folder or without flock).
	f, queue *os.File
	// slot is held from the first flock call until the unlock, also by a
	// wait given up on (its flock may still succeed and must then be
	// undone before the next writer of this process locks the same file).
	slot chan struct{}
}

// The kernel does not hand a released flock to the process that waited
// longest: the process that released it may take it again before the
// waiter has even been scheduled, and on a busy machine a server with a
// queue of writes kept the lock for seconds. So a waiting process holds a
// shared lock on the queue file while it waits, and a process about to
// take the lock first waits until the processes already waiting have had
// their turn (an exclusive lock on the queue file, at once released).

func (l *writeLock) open(dir string) {
	l.once.Do(func() {
		l.slot = make(chan struct{}, 1)
		f, err := os.OpenFile(filepath.Join(dir, DBName+"-wlock"), os.O_RDWR|os.O_CREATE, diskmode.File())
		if err != nil {
			return
		}
		q, err := os.OpenFile(filepath.Join(dir, DBName+"-wqueue"), os.O_RDWR|os.O_CREATE, diskmode.File())
		if err != nil {
			f.Close()
			return
		}
		l.f, l.queue = f, q
	})
}

// acquire takes the lock, after the processes already waiting for it.
func (l *writeLock) acquire() error {
	if err := flock(l.queue, lockEx); err != nil {
		return err
	}
	flock(l.queue, lockUn)
	if flock(l.f, lockExNB) == nil {
		return nil
	}
	if err := flock(l.queue, lockSh); err != nil {
		return err
	}
	defer flock(l.queue, lockUn)
	return flock(l.f, lockEx)
}

// lock waits (at most writeLockWait, or until ctx ends) for the other
// processes' writes and returns the unlock.
func (l *writeLock) lock(ctx context.Context, dir string) (func(), error) {
	l.open(dir)
	if l.f == nil {
		return func() {}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, writeLockWait)
	defer cancel()
	select {
	case l.slot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	done := make(chan error, 1)
	go func() { done <- l.acquire() }()
	select {
	case err := <-done:
		if err != nil {
			<-l.slot
			return func() {}, nil // no lock to be had: SQLite's own locking still holds
		}
		return func() { flock(l.f, lockUn); <-l.slot }, nil
	case <-ctx.Done():
		go func() {
			if <-done == nil {
				flock(l.f, lockUn)
			}
			<-l.slot
		}()
		return nil, ctx.Err()
	}
}

func (l *writeLock) close() {
	if l.f != nil {
		l.f.Close()
		l.queue.Close()
	}
}
