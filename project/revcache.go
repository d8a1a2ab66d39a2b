package project

import "sync"

// revCache keeps values read from the store at one revision, which every
// change moves: a value kept at another revision is never returned, a put
// from a transaction older than what is kept is dropped, and past max
// values (0: no bound) it starts again. Values are shared between readers
// and never changed once kept. The zero value is ready to use.
type revCache[K comparable, V any] struct {
	mu  sync.Mutex
	max int
	rev uint64
	m   map[K]V
}

// get returns the value of k kept at rev.
func (c *revCache[K, V]) get(rev uint64, k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rev != rev {
		var zero V
		return zero, false
	}
	v, ok := c.m[k]
	return v, ok
}

// getAll returns the values of keys kept at rev, and the keys it does not
// keep with their places in keys.
func (c *revCache[K, V]) getAll(rev uint64, keys []K) (out []V, miss []K, at []int) {
	out = make([]V, len(keys))
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.m
	if c.rev != rev {
		m = nil // kept at another revision: every key is a miss
	}
	for i, k := range keys {
		if v, ok := m[k]; ok {
			out[i] = v
			continue
		}
		miss, at = append(miss, k), append(at, i)
	}
	return out, miss, at
}

// put keeps v as the value of k read at rev.
func (c *revCache[K, V]) put(rev uint64, k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.room(rev, 1) {
		c.m[k] = v
	}
}

// putAll keeps vals[i] as the value of keys[i], all read at rev.
func (c *revCache[K, V]) putAll(rev uint64, keys []K, vals []V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.room(rev, len(keys)) {
		for i, k := range keys {
			c.m[k] = vals[i]
		}
	}
}

// room readies the map for n more values read at rev, starting again when
// it holds another revision's or would pass max; false: the values are an
// older transaction's than those kept, and are dropped.
func (c *revCache[K, V]) room(rev uint64, n int) bool {
	if c.m == nil || c.rev != rev || (c.max > 0 && len(c.m)+n > c.max) {
		if c.m != nil && rev < c.rev {
			return false
		}
		c.rev, c.m = rev, make(map[K]V)
	}
	return true
}
