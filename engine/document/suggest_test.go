package document

import "testing"

func TestSuggest(t *testing.T) {
	fields := []string{"default_credential_active", "pairing_mode_open", "pairing_window_expires_at"}
	tests := []struct {
		name       string
		word       string
		candidates []string
		want       string
		wantOK     bool
	}{
		{"transposition", "pairing_mode_opne", fields, "pairing_mode_open", true},
		{"missing letter", "pairing_mode_opn", fields, "pairing_mode_open", true},
		{"camelCase spelling", "pairingModeOpen", fields, "pairing_mode_open", true},
		{"kebab-case spelling", "Pairing-Mode-Open", fields, "pairing_mode_open", true},
		{"unrelated", "foo", fields, "", false},
		{"prefix of two fields is ambiguous", "pairing", fields, "", false},
		{"prefix of one field", "serial", []string{"serial_number", "model", "site_id"}, "serial_number", true},
		{"prefix of one field, id", "holder", []string{"holder_id", "role", "kind"}, "holder_id", true},
		{"prefix must end at a word boundary", "seria", []string{"serial_number"}, "", false},
		{"short word, one edit", "tpye", []string{"type", "enabled"}, "type", true},
		{"short word, unrelated short field", "foo", []string{"tool", "model"}, "", false},
		{"exact match is not a suggestion", "type", []string{"type"}, "", false},
		{"empty word", "", fields, "", false},
		{"no candidates", "foo", nil, "", false},
		{"closest wins", "captured_a", []string{"captured_at", "created_at"}, "captured_at", true},
		{"ties go to the alphabetically first", "ab", []string{"ac", "aa"}, "aa", true},
		{"kind names", "LockSnaphot", AllKinds, "LockSnapshot", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Suggest(tt.word, tt.candidates)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Suggest(%q) = %q, %v; want %q, %v", tt.word, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
