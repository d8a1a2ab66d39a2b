package store

// CaseNames returns the name of every case by id.
func (tx *Tx) CaseNames() (map[uint64]string, error) {
	cases, err := tx.Cases()
	if err != nil {
		return nil, err
	}
	m := make(map[uint64]string, len(cases))
	for _, c := range cases {
		m[c.ID] = c.Name
	}
	return m, nil
}
