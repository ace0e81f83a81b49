// WebApplicationFactory<Program> needs a public Program type; InternalsVisibleTo does not make the generated one visible.
public partial class Program;
