package db

// SetName changes the name a person is shown under; the e-mail, their identifier, stays.
func (tx *Tx) SetName(personID int64, name string) error {
	return affectOne(tx.exec(`UPDATE person SET name = ? WHERE id = ?`, name, personID))
}
