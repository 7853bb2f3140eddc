namespace Marketplace.Api.Hosting.OpenApi;

/// <summary>
/// Schema names a client generator turns into class names: the type's own name, without its
/// namespace, and a generic type as its argument plus the generic's name (PagedResult&lt;OrderDto&gt;
/// is OrderDtoPage). Two types with the same short name would collide: the generator refuses to start
/// then, and the contract test says which.
/// </summary>
public static class SchemaNames
{
    public static string For(Type type)
    {
        if (type.IsGenericType)
        {
            var generic = type.Name[..type.Name.IndexOf('`')];
            var arguments = string.Concat(type.GetGenericArguments().Select(For));
            return generic switch
            {
                "PagedResult" => arguments + "Page",
                _ => arguments + generic,
            };
        }
        if (type.IsArray) return For(type.GetElementType()!) + "List";
        return type.Name switch
        {
            // Framework types whose short name says too little.
            "ProblemDetails" or "HttpValidationProblemDetails" => type.Name,
            _ => type.Name,
        };
    }
}
