// azd-render renders one azd Kubernetes manifest template the way `azd deploy` does for an AKS service
// (Azure/azure-dev cli/azd/pkg/tools/kubectl/kubectl.go, applyTemplate): Go text/template parsed from the
// file, executed against a root whose only field is Env, the azd environment as map[string]string.
// One deliberate difference: missingkey=error. azd writes "<no value>" for a missing key and the rollout
// breaks later; here the test fails at once.
//
// Usage: azd-render <environment.json> <file.tmpl.yaml>   (rendered text on stdout, error on stderr, exit 1)
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"text/template"
)

type root struct {
	Env map[string]string
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: azd-render <environment.json> <file.tmpl.yaml>")
		os.Exit(2)
	}

	if err := render(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func render(environmentPath, templatePath string) error {
	raw, err := os.ReadFile(environmentPath)
	if err != nil {
		return err
	}

	var env map[string]string
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%s: %w", environmentPath, err)
	}

	// ParseFiles names the template after the file, as azd's template.ParseFiles(filePath) does.
	tmpl, err := template.New(filepath.Base(templatePath)).Option("missingkey=error").ParseFiles(templatePath)
	if err != nil {
		return fmt.Errorf("failed parsing template file '%s', %w", templatePath, err)
	}

	if err := tmpl.Execute(os.Stdout, root{Env: env}); err != nil {
		return fmt.Errorf("failed executing template file '%s', %w", templatePath, err)
	}

	return nil
}
