"""Value types of the domain: messages translated when shown, and the rules they carry."""
