package jobs

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"zhifa/config"
)

// Backend is the Redis that Asynq runs on: a real server, or, when no address is configured, an
// in-process miniredis for the embedded default.
type Backend struct {
	Redis redis.UniversalClient
	mini  *miniredis.Miniredis
	stop  chan struct{}
	once  sync.Once
}

// Connect returns the backend for cfg. With an empty address it starts miniredis on a loopback
// port and advances its clock every 100 ms, because miniredis never expires keys by itself and
// Asynq's unique locks and heartbeats rely on expiry.
func Connect(cfg config.Redis) (*Backend, error) {
	b := &Backend{}
	addr := cfg.Addr
	if addr == "" {
		m, err := miniredis.Run()
		if err != nil {
			return nil, fmt.Errorf("jobs: in-process redis: %w", err)
		}
		b.mini, b.stop, addr = m, make(chan struct{}), m.Addr()
		go b.tick()
	}
	b.Redis = redis.NewClient(&redis.Options{Addr: addr, Password: cfg.Password, DB: cfg.DB})
	return b, nil
}

func (b *Backend) tick() {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			b.mini.FastForward(100 * time.Millisecond)
		}
	}
}

// Embedded reports whether the backend is the in-process one.
func (b *Backend) Embedded() bool { return b.mini != nil }

// Ping checks that Redis answers.
func (b *Backend) Ping(ctx context.Context) error { return b.Redis.Ping(ctx).Err() }

// Client returns an Asynq client on the backend.
func (b *Backend) Client() *asynq.Client { return asynq.NewClientFromRedisClient(b.Redis) }

// Inspector returns an Asynq inspector on the backend, for status pages and tests.
func (b *Backend) Inspector() *asynq.Inspector { return asynq.NewInspectorFromRedisClient(b.Redis) }

// Close releases the connection and stops the in-process server. Closing twice is harmless.
func (b *Backend) Close() error {
	var err error
	b.once.Do(func() {
		err = b.Redis.Close()
		if b.mini != nil {
			close(b.stop)
			b.mini.Close()
		}
	})
	return err
}
